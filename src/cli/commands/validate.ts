import { buildGraph } from '../../definitions/graph.js';
import { ProjectError } from '../../definitions/project.js';
import { warehouseSettingProblems } from '../../warehouse/open.js';
import { loadProjectWarning } from '../load.js';

export async function validateCommand(dir: string): Promise<number> {
  const project = await loadProjectWarning(dir);
  const settings = warehouseSettingProblems(project);
  if (settings.length) throw new ProjectError(settings);
  const graph = buildGraph(project.definitions);
  console.log(`${project.definitions.length} definition${project.definitions.length === 1 ? '' : 's'} valid (${graph.order.length} in the graph, depth ${Math.max(0, ...graph.order.map((k) => graph.depth(k)))})`);
  return 0;
}

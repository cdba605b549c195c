import { buildGraph } from '../../definitions/graph.js';
import { ProjectError } from '../../definitions/project.js';
import { warehouseSettingProblems } from '../../warehouse/open.js';
import { loadProjectWarning } from '../load.js';

export async function validateCommand(dir: string): Promise<number> {
  // The warehouse settings are roster.yml's problems: told first, beside the definitions' own.
  const project = await loadProjectWarning(dir).catch((e: unknown) => {
    if (e instanceof ProjectError && e.loaded) throw new ProjectError([...warehouseSettingProblems(e.loaded), ...e.problems], e.loaded);
    throw e;
  });
  const settings = warehouseSettingProblems(project);
  if (settings.length) throw new ProjectError(settings);
  const graph = buildGraph(project.definitions);
  console.log(`${project.definitions.length} definition${project.definitions.length === 1 ? '' : 's'} valid (${graph.order.length} in the graph, depth ${Math.max(0, ...graph.order.map((k) => graph.depth(k)))})`);
  return 0;
}

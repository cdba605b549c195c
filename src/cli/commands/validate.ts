import { buildGraph } from '../../definitions/graph.js';
import { loadProject } from '../../definitions/load-project.js';

export async function validateCommand(dir: string): Promise<number> {
  const project = await loadProject(dir);
  const graph = buildGraph(project.definitions);
  console.log(`${project.definitions.length} definitions valid (${graph.order.length} in the graph, depth ${Math.max(0, ...graph.order.map((k) => graph.depth(k)))})`);
  return 0;
}

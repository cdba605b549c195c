import { buildGraph } from '../../definitions/graph.js';
import { validate } from '../../index.js';
import { warn } from '../errors.js';

export async function validateCommand(dir: string): Promise<number> {
  const project = await validate(dir, { onWarning: warn });
  const graph = buildGraph(project.definitions);
  console.log(`${project.definitions.length} definition${project.definitions.length === 1 ? '' : 's'} valid (${graph.order.length} in the graph, depth ${Math.max(0, ...graph.order.map((k) => graph.depth(k)))})`);
  return 0;
}

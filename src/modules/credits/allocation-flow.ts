/**
 * Flow primitives for the allocation engine: a residual graph, Dinic's max flow (optionally on a
 * subset of edges), a feasibility test for circulations with lower bounds, and min-cost flow
 * (primal-dual: shortest-path distances, then Dinic on the zero reduced-cost edges, until the
 * cheapest path is no longer negative). Amounts and costs are integers.
 *
 * Lexicographic costs (c0 first, then c1, then c2, each −1, 0 or 1 per edge) are packed into one
 * integer c0·W² + c1·W + c2 with W above twice the number of edges: a path's component sums stay
 * below W/2 in size, so comparing packed sums compares the tuples, exactly and cheaply.
 */

/** Stands for "no upper bound"; far above any sum of hundredths we handle, and still exact in a double. */
export const INF = 2 ** 50;

/** Packs a lexicographic cost tuple for a graph of `edges` edges (see above). */
export function packCost(tuple: readonly number[], edges: number): number {
  const w = 2 * edges + 1;
  return tuple.reduce((sum, c) => sum * w + c, 0);
}

export class FlowGraph {
  readonly to: number[] = [];
  readonly cap: number[] = [];
  readonly flow: number[] = [];
  readonly cost: number[] = [];
  readonly adj: number[][];

  constructor(readonly size: number) {
    this.adj = Array.from({ length: size }, () => []);
  }

  /** Adds u→v (and its residual twin, index ^ 1); answers the forward edge's index. */
  addEdge(u: number, v: number, cap: number, cost = 0): number {
    const e = this.to.length;
    this.to.push(v, u);
    this.cap.push(cap, 0);
    this.flow.push(0, 0);
    this.cost.push(cost, -cost);
    this.adj[u].push(e);
    this.adj[v].push(e + 1);
    return e;
  }

  residual(e: number): number {
    return this.cap[e] - this.flow[e];
  }

  /** Pushes `amount` along edge e (negative edges undo flow on their twin). */
  push(e: number, amount: number): void {
    this.flow[e] += amount;
    this.flow[e ^ 1] -= amount;
  }

  /** Dinic's max flow from s to t over the edges `allowed` accepts (all when omitted); answers the flow added. */
  maxFlow(s: number, t: number, allowed?: (e: number) => boolean): number {
    const { to, cap, flow, adj, size } = this;
    const open = new Uint8Array(to.length);
    for (let e = 0; e < to.length; e++) open[e] = !allowed || allowed(e) ? 1 : 0;
    const level = new Int32Array(size);
    const next = new Int32Array(size);
    const queue = new Int32Array(size);
    const dfs = (u: number, limit: number): number => {
      if (u === t) return limit;
      const arcs = adj[u];
      for (; next[u] < arcs.length; next[u]++) {
        const e = arcs[next[u]];
        const v = to[e];
        const room = cap[e] - flow[e];
        if (room <= 0 || open[e] === 0 || level[v] !== level[u] + 1) continue;
        const pushed = dfs(v, limit < room ? limit : room);
        if (pushed > 0) {
          flow[e] += pushed;
          flow[e ^ 1] -= pushed;
          return pushed;
        }
      }
      return 0;
    };
    let total = 0;
    for (;;) {
      level.fill(-1);
      level[s] = 0;
      queue[0] = s;
      let tail = 1;
      for (let head = 0; head < tail; head++) {
        const u = queue[head];
        for (const e of adj[u]) {
          const v = to[e];
          if (level[v] < 0 && open[e] === 1 && cap[e] - flow[e] > 0) {
            level[v] = level[u] + 1;
            queue[tail++] = v;
          }
        }
      }
      if (level[t] < 0) return total;
      next.fill(0);
      for (let pushed = dfs(s, INF); pushed > 0; pushed = dfs(s, INF)) total += pushed;
    }
  }
}

/** Shortest distances from s over edges with residual capacity (queue-based Bellman-Ford: negative edges, no negative cycle). */
function distances(g: FlowGraph, s: number): number[] {
  const dist = new Array<number>(g.size).fill(Infinity);
  const queued = new Array<boolean>(g.size).fill(false);
  const relaxed = new Array<number>(g.size).fill(0);
  dist[s] = 0;
  const queue = [s];
  queued[s] = true;
  for (let head = 0; head < queue.length; head++) {
    const u = queue[head];
    queued[u] = false;
    for (const e of g.adj[u]) {
      if (g.residual(e) <= 0) continue;
      const v = g.to[e];
      const candidate = dist[u] + g.cost[e];
      if (candidate < dist[v]) {
        dist[v] = candidate;
        if (!queued[v]) {
          if (++relaxed[v] > g.size) throw new Error('negative cycle in the residual graph');
          queued[v] = true;
          queue.push(v);
        }
      }
    }
  }
  return dist;
}

/**
 * Min-cost flow from s to t: augments along cheapest paths while they cost less than zero, so the
 * result is the cheapest flow of any size (and, among those, the largest). The graph must start
 * without negative cycles (ours are acyclic).
 */
export function minCostFlow(g: FlowGraph, s: number, t: number): void {
  for (;;) {
    const dist = distances(g, s);
    if (!(dist[t] < 0)) return;
    // Edges on some cheapest path have zero reduced cost; a max flow over them uses up every such path.
    const admissible = (e: number) => dist[g.to[e ^ 1]] + g.cost[e] === dist[g.to[e]];
    if (g.maxFlow(s, t, admissible) === 0) throw new Error('no augmenting path along a cheapest path');
  }
}

export interface BoundedEdge {
  from: number;
  to: number;
  lower: number;
  upper: number;
}

/** Whether a circulation exists with lower ≤ flow ≤ upper on every edge (the classic reduction to one max flow). */
export function circulationExists(size: number, edges: BoundedEdge[]): boolean {
  if (edges.some((e) => e.lower > e.upper)) return false;
  const g = new FlowGraph(size + 2);
  const source = size;
  const sink = size + 1;
  const excess = new Array<number>(size).fill(0);
  for (const e of edges) {
    g.addEdge(e.from, e.to, e.upper >= INF ? INF : e.upper - e.lower);
    excess[e.to] += e.lower;
    excess[e.from] -= e.lower;
  }
  let demand = 0;
  excess.forEach((x, v) => {
    if (x > 0) {
      g.addEdge(source, v, x);
      demand += x;
    } else if (x < 0) g.addEdge(v, sink, -x);
  });
  return g.maxFlow(source, sink) === demand;
}

import { FlowGraph, INF, circulationExists, minCostFlow, packCost, type BoundedEdge } from './allocation-flow.js';

/**
 * Whether a person's entries meet a requirement scheme, decided exactly.
 *
 * Every entry lies in one cell (level × category) and counts, with one counted amount, toward its
 * cell, its level, its category and the total at once. Rules put a minimum (and maybe a maximum)
 * on a level, a category or a cell. This is a flow: source → level → cell → category → sink, the
 * cell edge carrying at most the entries' amount, every rule a lower and upper bound on its edge,
 * the total a lower bound on the whole flow.
 *
 * - The answer is a min-cost flow that may also draw on "extra" amounts in any cell, at a
 *   price, with a lexicographic objective: (1) meet every minimum that can be met at all,
 *   (2) with the least extra amount — `needed`, what the person still has to earn, (3) counting as
 *   much of the real entries as the maxima allow. We do not minimise the plain sum of missing over
 *   rules: one missing 市级·师德 credit is also missing in 市级, in 师德 and in the total, so that
 *   sum counts one credit up to four times and is not what anyone has to earn; the least extra
 *   amount is. Each rule then reports required, earned (real amounts counted in its scope),
 *   missing and which entries were counted how much.
 *
 * `met` holds when that flow needs no extra amount. `meetsByCirculation` decides the same question
 * by another exact method — a circulation with lower bounds, by Dinic's max flow — and the spec
 * holds the two (and a brute force) to the same answers.
 *
 * Amounts are integers (hundredths of a credit or an hour), so the answer is exact.
 */

export interface AllocationEntry {
  id: string;
  level: string;
  category: string;
  /** Hundredths, ≥ 0. */
  amount: number;
}

export interface AllocationRule {
  level?: string | null;
  category?: string | null;
  min: number;
  max: number | null;
}

export interface AllocationInput {
  total: number;
  rules: AllocationRule[];
  /** In the order entries should be used when a cell counts only part of them (e.g. oldest first). */
  entries: AllocationEntry[];
  /** The full lists of levels and categories, so extra amounts may be placed in cells nobody has used yet. */
  levels?: readonly string[];
  categories?: readonly string[];
}

export interface CountedPart {
  entryId: string;
  amount: number;
}

export interface RuleAllocation {
  required: number;
  maximum: number | null;
  earned: number;
  missing: number;
  met: boolean;
  counted: CountedPart[];
}

export interface AllocationResult {
  met: boolean;
  total: RuleAllocation;
  rules: RuleAllocation[];
  /** Entry id → the amount counted (at most its amount; less when a maximum caps its cell). */
  counted: Map<string, number>;
  /** The least additional amount, placed in the best cells, that would meet every rule. */
  needed: number;
  /** The part of `needed` that must lie in particular cells (it mends their, their level's or their category's minimum). */
  neededByCell: Array<{ level: string; category: string; amount: number }>;
  /** The part of `needed` that only makes up the total: it may come from any cell without a maximum. */
  neededAnywhere: number;
  /** The rules contradict each other (e.g. a cell minimum above its category's maximum): nothing meets them. */
  unmeetable: boolean;
}

interface Cell {
  level: string;
  category: string;
  available: number;
  entries: AllocationEntry[];
}

const active = (rule: AllocationRule) => !!rule.level || !!rule.category;
const inScope = (rule: AllocationRule, level: string, category: string) =>
  (!rule.level || rule.level === level) && (!rule.category || rule.category === category);

/** The combined bounds of every rule aimed at exactly this level, category or cell. */
function bounds(rules: AllocationRule[], level: string | null, category: string | null): Bound {
  let lo = 0;
  let hi = INF;
  for (const r of rules) {
    if (!active(r) || (r.level ?? null) !== level || (r.category ?? null) !== category) continue;
    lo = Math.max(lo, r.min);
    if (r.max !== null) hi = Math.min(hi, r.max);
  }
  return { lo, hi };
}

interface Prepared {
  levels: string[];
  categories: string[];
  cells: Cell[];
  levelBounds: Bound[];
  categoryBounds: Bound[];
  cellBounds: Bound[];
}

interface Bound {
  lo: number;
  hi: number;
}

function prepare(input: AllocationInput): Prepared {
  const rules = input.rules;
  const levelSet = new Set(input.levels ?? []);
  const categorySet = new Set(input.categories ?? []);
  for (const e of input.entries) { levelSet.add(e.level); categorySet.add(e.category); }
  for (const r of rules) { if (r.level) levelSet.add(r.level); if (r.category) categorySet.add(r.category); }
  const levels = [...levelSet];
  const categories = [...categorySet];
  const cells: Cell[] = [];
  const byKey = new Map<string, Cell>();
  for (const level of levels) {
    for (const category of categories) {
      const cell = { level, category, entries: [], available: 0 };
      cells.push(cell);
      byKey.set(`${level}\u0000${category}`, cell);
    }
  }
  for (const e of input.entries) {
    const cell = byKey.get(`${e.level}\u0000${e.category}`)!;
    cell.entries.push(e);
    cell.available += e.amount;
  }
  return {
    levels, categories, cells,
    levelBounds: levels.map((l) => bounds(rules, l, null)),
    categoryBounds: categories.map((c) => bounds(rules, null, c)),
    cellBounds: cells.map((c) => bounds(rules, c.level, c.category)),
  };
}

export function allocate(input: AllocationInput): AllocationResult {
  const rules = input.rules;
  const prepared = prepare(input);
  const { cells } = prepared;
  const [real, extra, anywhere] = rules.some(active) ? solve(input.total, prepared) : unconstrained(input.total, cells);

  const counted = new Map<string, number>();
  const cellParts: CountedPart[][] = cells.map((cell, i) => {
    let left = real[i];
    const parts: CountedPart[] = [];
    for (const entry of cell.entries) {
      const take = Math.min(left, entry.amount);
      counted.set(entry.id, take);
      if (take > 0) parts.push({ entryId: entry.id, amount: take });
      left -= take;
    }
    return parts;
  });
  const status = (required: number, maximum: number | null, rule: AllocationRule | null): RuleAllocation => {
    let earned = 0;
    const parts: CountedPart[] = [];
    cells.forEach((cell, i) => {
      if (rule && !inScope(rule, cell.level, cell.category)) return;
      earned += real[i];
      parts.push(...cellParts[i]);
    });
    const missing = Math.max(0, required - earned);
    return { required, maximum, earned, missing, met: missing === 0, counted: parts };
  };
  const flowIn = (rule: AllocationRule | null) =>
    cells.reduce((sum, cell, i) => sum + (!rule || inScope(rule, cell.level, cell.category) ? real[i] + extra[i] : 0), rule ? 0 : anywhere);
  const unmeetable = flowIn(null) < input.total || rules.some((r) => active(r) && flowIn(r) < r.min);
  const needed = extra.reduce((a, b) => a + b, anywhere);
  return {
    // The min-cost flow is exact: it meets every rule with no extra amount exactly when that is possible
    // (the spec checks this against the circulation test and against brute force).
    met: !unmeetable && needed === 0,
    total: status(input.total, null, null),
    rules: rules.map((r) => (active(r) ? status(r.min, r.max, r) : { required: r.min, maximum: r.max, earned: 0, missing: 0, met: true, counted: [] })),
    counted,
    needed,
    neededByCell: cells.map((c, i) => ({ level: c.level, category: c.category, amount: extra[i] })).filter((c) => c.amount > 0),
    neededAnywhere: anywhere,
    unmeetable,
  };
}

/** No rules but the total: everything counts, and the gap to the total is what is still needed. */
function unconstrained(total: number, cells: Cell[]): [number[], number[], number] {
  const real = cells.map((c) => c.available);
  const sum = real.reduce((a, b) => a + b, 0);
  return [real, cells.map(() => 0), Math.max(0, total - sum)];
}

/**
 * The min-cost flow described above; answers the real and the extra amount per cell, and the extra
 * that only serves the total. That last one runs straight from the source to the categories' sink,
 * standing for a cell whose level, category and cell have no maximum (offered only when one exists):
 * it is equivalent to extra in that cell, and a fourth cost tier makes ties prefer it, so extra
 * shows up in a particular cell only when a minimum there wants it.
 */
function solve(total: number, { levels, categories, cells, levelBounds, categoryBounds, cellBounds }: Prepared): [number[], number[], number] {
  const S = 0, T = 1, SINK = 2;
  const levelNode = (i: number) => 3 + i;
  const categoryNode = (j: number) => 3 + levels.length + j;
  const cellNode = (k: number) => 3 + levels.length + categories.length + k;
  const g = new FlowGraph(3 + levels.length + categories.length + cells.length);
  // At most two edges per bound (levels, categories, cells, total) and two supply edges per cell.
  const edgeCount = 2 * (levels.length + categories.length + 1) + 4 * cells.length + 1;
  const SHORT = packCost([-1, 0, 0, 0], edgeCount), EXTRA = packCost([0, 1, 0, 1], edgeCount);
  const ANYWHERE = packCost([0, 1, 0, 0], edgeCount), REAL = packCost([0, 0, -1, 0], edgeCount);
  // A bounded edge: its first `lo` units earn the shortfall discount, the rest up to `hi` are free.
  const bounded = (u: number, v: number, { lo, hi }: Bound) => {
    const minPart = Math.min(lo, hi);
    if (minPart > 0) g.addEdge(u, v, minPart, SHORT);
    const rest = hi >= INF ? INF : hi - minPart;
    if (rest > 0) g.addEdge(u, v, rest);
  };
  levels.forEach((_, i) => bounded(S, levelNode(i), levelBounds[i]));
  categories.forEach((_, j) => bounded(categoryNode(j), T, categoryBounds[j]));
  bounded(T, SINK, { lo: total, hi: INF });
  const realEdges: number[] = [];
  const extraEdges: number[] = [];
  cells.forEach((cell, k) => {
    const from = levelNode(levels.indexOf(cell.level));
    realEdges.push(cell.available > 0 ? g.addEdge(from, cellNode(k), cell.available, REAL) : -1);
    extraEdges.push(g.addEdge(from, cellNode(k), INF, EXTRA));
    bounded(cellNode(k), categoryNode(categories.indexOf(cell.category)), cellBounds[k]);
  });
  const uncapped = cells.some((cell, k) => cellBounds[k].hi >= INF
    && levelBounds[levels.indexOf(cell.level)].hi >= INF && categoryBounds[categories.indexOf(cell.category)].hi >= INF);
  const anywhere = uncapped ? g.addEdge(S, T, INF, ANYWHERE) : -1;
  minCostFlow(g, S, SINK);
  return [realEdges.map((e) => (e < 0 ? 0 : g.flow[e])), extraEdges.map((e) => g.flow[e]), anywhere < 0 ? 0 : g.flow[anywhere]];
}

/**
 * The same decision by another exact method, kept to check the min-cost flow: counted amounts exist
 * (no extra) with every minimum, maximum and the total met iff this circulation with lower bounds exists.
 */
export function meetsByCirculation(input: AllocationInput): boolean {
  const { levels, categories, cells, levelBounds, categoryBounds, cellBounds } = prepare(input);
  const S = 0, T = 1;
  const levelNode = (i: number) => 2 + i;
  const categoryNode = (j: number) => 2 + levels.length + j;
  const edges: BoundedEdge[] = [];
  const add = (from: number, to: number, { lo, hi }: Bound) => edges.push({ from, to, lower: lo, upper: hi });
  levels.forEach((_, i) => add(S, levelNode(i), levelBounds[i]));
  categories.forEach((_, j) => add(categoryNode(j), T, categoryBounds[j]));
  cells.forEach((cell, k) => {
    const b = cellBounds[k];
    add(levelNode(levels.indexOf(cell.level)), categoryNode(categories.indexOf(cell.category)), { lo: b.lo, hi: Math.min(b.hi, cell.available) });
  });
  add(T, S, { lo: input.total, hi: INF });
  return circulationExists(2 + levels.length + categories.length, edges);
}

/**
 * The text of a DOM subtree as one string (exactly root.textContent) with a way back from string
 * offsets to DOM positions and from DOM positions to offsets. Built once per anchoring pass: with a
 * thousand annotations on a page, walking the DOM once instead of a thousand times is most of the
 * speed.
 */

const TEXT_NODE = 3;
const DOCUMENT_NODE = 9;

export interface TextIndex {
  root: Node;
  text: string;
  nodes: Text[];
  /** starts[i]: offset of nodes[i] in text. */
  starts: number[];
}

/** The node whose textContent the offsets refer to (a Document has none, so its root element). */
export function textRoot(root: Node): Node {
  if (root.nodeType === DOCUMENT_NODE) {
    const el = (root as Document).documentElement;
    if (el) return el;
  }
  return root;
}

export function buildTextIndex(root: Node): TextIndex {
  const walk = new TextIndexWalk(root);
  while (!walk.step(Number.POSITIVE_INFINITY));
  return walk.result();
}

/** Nodes visited between pauses of textIndexSteps(): about a millisecond on a slow core. */
const STEP = 512;

/** buildTextIndex() as a generator that pauses every STEP nodes (for anchorAllYielding). */
export function* textIndexSteps(root: Node): Generator<void, TextIndex> {
  const walk = new TextIndexWalk(root);
  while (!walk.step(STEP)) yield;
  return walk.result();
}

/**
 * The walk behind buildTextIndex(), resumable: iterative over firstChild/nextSibling (faster than
 * TreeWalker in happy-dom, no recursion limit on deeply nested pages).
 */
class TextIndexWalk {
  private readonly base: Node;
  private node: Node | null;
  private readonly nodes: Text[] = [];
  private readonly starts: number[] = [];
  private readonly parts: string[] = [];
  private offset = 0;

  constructor(root: Node) {
    this.base = textRoot(root);
    this.node = this.base.nodeType === TEXT_NODE ? null : this.base.firstChild;
  }

  /** Visits up to `work` nodes; true when the walk is complete. */
  step(work: number): boolean {
    const base = this.base;
    let node = this.node;
    let done = 0;
    while (node && done < work) {
      done++;
      if (node.nodeType === TEXT_NODE) {
        const data = (node as Text).data;
        if (data.length > 0) {
          this.nodes.push(node as Text);
          this.starts.push(this.offset);
          this.parts.push(data);
          this.offset += data.length;
        }
      } else if (node.firstChild) {
        node = node.firstChild;
        continue;
      }
      while (node && !node.nextSibling) {
        node = node.parentNode;
        if (node === base) node = null;
      }
      node = node ? node.nextSibling : null;
    }
    this.node = node;
    return node === null;
  }

  result(): TextIndex {
    const base = this.base;
    if (base.nodeType === TEXT_NODE) {
      const t = base as Text;
      return { root: base, text: t.data, nodes: [t], starts: [0] };
    }
    return { root: base, text: this.parts.join(""), nodes: this.nodes, starts: this.starts };
  }
}

/** Index of the last text node starting at or before offset (for start boundaries). */
function nodeAtOrBefore(index: TextIndex, offset: number): number {
  const { starts } = index;
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((starts[mid] as number) <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

function boundary(index: TextIndex, offset: number, isEnd: boolean): [Node, number] {
  const { nodes, starts } = index;
  if (nodes.length === 0) return [index.root, 0];
  let i = nodeAtOrBefore(index, offset);
  // An end boundary exactly at a node start belongs at the end of the previous node, so that the
  // Range does not reach into the next element.
  if (isEnd && i > 0 && starts[i] === offset) i--;
  const node = nodes[i] as Text;
  const local = Math.max(0, Math.min(node.data.length, offset - (starts[i] as number)));
  return [node, local];
}

/** A Range over text[start, end). */
export function rangeFromOffsets(index: TextIndex, start: number, end: number): Range {
  const doc = index.root.ownerDocument ?? (index.root as Document);
  const range = doc.createRange();
  const [sn, so] = boundary(index, start, false);
  const [en, eo] = end <= start ? [sn, so] : boundary(index, end, true);
  // Collapsing onto the start node first keeps setStart/setEnd from comparing boundary points
  // across the whole document, which costs milliseconds per call on a large page in happy-dom.
  range.selectNodeContents(sn);
  range.setStart(sn, so);
  range.setEnd(en, eo);
  return range;
}

const FOLLOWING = 4;
const CONTAINED_BY = 16;

/** Offset in index.text of a DOM boundary point (container, offset), as Range boundaries give. */
export function offsetOf(index: TextIndex, container: Node, offset: number): number {
  const { nodes, starts, text } = index;
  if (container.nodeType === TEXT_NODE) {
    const i = nodes.indexOf(container as Text);
    if (i >= 0) return (starts[i] as number) + Math.min(offset, (container as Text).data.length);
  }
  // Otherwise count the text nodes that come before the boundary point (binary search, document
  // order is monotonic in the node list).
  const children = container.childNodes;
  const ref = offset < children.length ? children[offset] : null;
  const isBefore = (t: Node): boolean => {
    if (ref) {
      if (ref === t) return false;
      const pos = ref.compareDocumentPosition(t);
      return (pos & CONTAINED_BY) === 0 && (pos & FOLLOWING) === 0;
    }
    if (container.contains(t)) return true;
    return (container.compareDocumentPosition(t) & FOLLOWING) === 0;
  };
  let lo = 0;
  let hi = nodes.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (isBefore(nodes[mid] as Node)) lo = mid + 1;
    else hi = mid;
  }
  if (lo >= nodes.length) return text.length;
  return starts[lo] as number;
}

/** Offsets [start, end) of a node's text within the index (an empty span if it has none). */
export function nodeSpan(index: TextIndex, node: Node): [number, number] {
  const start = offsetOf(index, node.parentNode ?? node, indexInParent(node));
  const end = offsetOf(index, node.parentNode ?? node, indexInParent(node) + 1);
  return [start, end];
}

function indexInParent(node: Node): number {
  let i = 0;
  for (let n = node.previousSibling; n; n = n.previousSibling) i++;
  return i;
}

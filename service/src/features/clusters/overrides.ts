/**
 * Officials' corrections to computed clusters, replayed on top of any (re)computation.
 *
 * Cluster ids are the id of a member (the first comment of the cluster), so a reference to a
 * cluster can always be resolved through a member even when recomputation (different arrival
 * order, new parameters) keys the cluster differently: `resolveCluster` looks the id up as a
 * cluster id first, then as a member id.
 */

export type ClusterOverride =
  /** Every member of cluster `from` moves into cluster `into`. */
  | { type: "merge"; from: string; into: string }
  /** The member leaves its cluster and stands alone in a cluster keyed by its own id. */
  | { type: "split"; memberId: string };

export type Assignments = ReadonlyMap<string, string> | Readonly<Record<string, string>>;

function toMap(assignments: Assignments): Map<string, string> {
  return assignments instanceof Map
    ? new Map(assignments)
    : new Map(Object.entries(assignments as Record<string, string>));
}

/** The cluster a reference designates: a cluster id in use, else the cluster of that member. */
export function resolveCluster(
  assignments: ReadonlyMap<string, string>,
  clusterIds: ReadonlySet<string>,
  ref: string,
): string | undefined {
  if (clusterIds.has(ref)) return ref;
  return assignments.get(ref);
}

/**
 * Applies overrides in order to member -> cluster assignments and returns new assignments
 * (insertion order kept). Overrides naming clusters or members that no longer exist are skipped.
 * Splitting the member whose id keys its cluster re-keys the rest of that cluster to its next
 * member (in assignment order).
 */
export function applyOverrides(
  assignments: Assignments,
  overrides: readonly ClusterOverride[],
): Map<string, string> {
  const result = toMap(assignments);
  const clusterIds = new Set(result.values());
  for (const o of overrides) {
    if (o.type === "merge") {
      const from = resolveCluster(result, clusterIds, o.from);
      const into = resolveCluster(result, clusterIds, o.into);
      if (from === undefined || into === undefined || from === into) continue;
      for (const [member, cluster] of result) if (cluster === from) result.set(member, into);
      clusterIds.delete(from);
    } else {
      const current = result.get(o.memberId);
      if (current === undefined) continue;
      const others = [...result].filter(([m, c]) => c === current && m !== o.memberId);
      if (others.length === 0 && current === o.memberId) continue; // already alone
      if (current === o.memberId) {
        const rekey = (others[0] as [string, string])[0];
        for (const [m] of others) result.set(m, rekey);
        clusterIds.add(rekey);
      } else if (clusterIds.has(o.memberId)) {
        // another cluster is keyed by this member's id (it was merged away from it): re-key it
        const keyed = [...result].filter(([m, c]) => c === o.memberId && m !== o.memberId);
        const rekey = keyed[0]?.[0];
        if (rekey !== undefined) {
          for (const [m] of keyed) result.set(m, rekey);
          clusterIds.add(rekey);
        }
      }
      result.set(o.memberId, o.memberId);
      clusterIds.add(o.memberId);
      if (others.length === 0) clusterIds.delete(current);
    }
  }
  return result;
}

/** Groups assignments into clusters: cluster id -> member ids (in assignment order). */
export function groupAssignments(assignments: Assignments): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  for (const [member, cluster] of toMap(assignments)) {
    const list = groups.get(cluster);
    if (list === undefined) groups.set(cluster, [member]);
    else list.push(member);
  }
  return groups;
}

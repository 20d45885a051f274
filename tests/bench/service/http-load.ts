/**
 * The load generator of the service benchmarks: N workers, each on its own
 * keep-alive socket, sending one request at a time for a fixed time, with the
 * latency of every request. Built on node:http with one Agent (as autocannon
 * keeps raw sockets) rather than fetch: on this 2-core machine fetch costs the
 * generator about four times as much CPU per request, which the service under
 * test then does not get (a hello-world route: ~2,900/s with fetch, ~12,500/s
 * with this). Every load of a benchmark uses this same generator.
 */
import http from "node:http";

export interface Call {
  method: "GET" | "POST";
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

export interface LoadResult {
  done: number;
  perSecond: number;
  p50: number;
  p99: number;
  statuses: Map<number, number>;
}

/** One request on `agent`'s keep-alive sockets; the body is kept only when asked for. */
export function request(
  agent: http.Agent,
  base: URL,
  call: Call,
  keepBody = false,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = { ...call.headers };
    if (call.body !== undefined) headers["content-length"] = Buffer.byteLength(call.body);
    const req = http.request(
      {
        agent,
        host: base.hostname,
        port: base.port,
        path: call.path,
        method: call.method,
        headers,
      },
      (res) => {
        const chunks: Buffer[] = [];
        if (keepBody) res.on("data", (c: Buffer) => chunks.push(c));
        else res.resume();
        res.once("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            body: keepBody ? Buffer.concat(chunks).toString() : "",
          }),
        );
        res.once("error", reject);
      },
    );
    req.once("error", reject);
    req.end(call.body);
  });
}

/** q-th quantile of ascending `sorted` (0 when empty). */
export function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
}

/** Sends `callFor(i)` from `concurrency` workers for `seconds`; `i` counts every request made. */
export async function load(
  baseUrl: string,
  o: { concurrency: number; seconds: number },
  callFor: (i: number) => Call,
): Promise<LoadResult> {
  const base = new URL(baseUrl);
  const agent = new http.Agent({ keepAlive: true, maxSockets: o.concurrency });
  const latencies: number[] = [];
  const statuses = new Map<number, number>();
  let next = 0;
  const t0 = performance.now();
  const end = t0 + o.seconds * 1000;
  try {
    await Promise.all(
      Array.from({ length: o.concurrency }, async () => {
        while (performance.now() < end) {
          const call = callFor(next++);
          const t = performance.now();
          const { status } = await request(agent, base, call);
          latencies.push(performance.now() - t);
          statuses.set(status, (statuses.get(status) ?? 0) + 1);
        }
      }),
    );
  } finally {
    agent.destroy();
  }
  const seconds = (performance.now() - t0) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    done: latencies.length,
    perSecond: latencies.length / seconds,
    p50: quantile(latencies, 0.5),
    p99: quantile(latencies, 0.99),
    statuses,
  };
}

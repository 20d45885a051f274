import { parseEnv } from "./env.ts";
import { startServer } from "./server.ts";

const running = await startServer(parseEnv(process.env));
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    void running.close().then(() => process.exit(0));
  });
}

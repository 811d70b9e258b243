// The bindings `env` from cloudflare:test carries in the workers project: the relay's own (wrangler.toml).
import type { AppEnv } from "../src/env";

type RelayBindings = AppEnv["Bindings"];

declare global {
  namespace Cloudflare {
    // Declaration merging: the test env is exactly the relay's bindings (its vars, the rate limit, ASSETS).
    // eslint-disable-next-line @typescript-eslint/no-empty-object-type
    interface Env extends RelayBindings {}
  }
}

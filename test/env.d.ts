// The bindings `env` from cloudflare:test carries in the workers project: the relay's own (wrangler.toml).
import type { Bindings } from "../src/config";

declare global {
  namespace Cloudflare {
    // Declaration merging: the test env is exactly the relay's bindings.
    // eslint-disable-next-line @typescript-eslint/no-empty-object-type
    interface Env extends Bindings {}
  }
}

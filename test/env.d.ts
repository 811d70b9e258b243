// The bindings `env` from cloudflare:test carries in the workers project: the relay's own (wrangler.toml).
import type { Bindings } from "../src/config";

declare global {
  namespace Cloudflare {
    interface Env extends Bindings {}
  }
}

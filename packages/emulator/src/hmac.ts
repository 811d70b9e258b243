/** HMAC-SHA256 with one imported key per secret; the base of signatures and continuation tokens. */
import { utf8 } from "./encoding.js";

/** Used when no secret is configured: fixed, so signatures survive an emulator restart during a demo. */
export const DEFAULT_SIGNING_SECRET = "gemini-emulator-development-secret";

export interface Signer {
  sign(data: Uint8Array<ArrayBuffer>): Promise<Uint8Array>;
  verify(mac: Uint8Array<ArrayBuffer>, data: Uint8Array<ArrayBuffer>): Promise<boolean>;
}

export function createSigner(secret: string = DEFAULT_SIGNING_SECRET): Signer {
  let key: Promise<CryptoKey> | undefined;
  // Imported lazily: workerd forbids crypto work at module scope, where the worker entry builds the emulator.
  const getKey = (): Promise<CryptoKey> =>
    (key ??= crypto.subtle.importKey("raw", utf8(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign", "verify"]));
  return {
    async sign(data) {
      return new Uint8Array(await crypto.subtle.sign("HMAC", await getKey(), data));
    },
    async verify(mac, data) {
      return crypto.subtle.verify("HMAC", await getKey(), mac, data);
    },
  };
}

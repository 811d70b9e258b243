/** Signed continuation tokens: the hop number bound to the model and input, so no hop state is kept between calls. */
import { fromBase64, sha256, toBase64Url, utf8 } from "./encoding.js";
import { invalidRequest } from "./errors.js";
import type { Signer } from "./hmac.js";
import { isRecord } from "./json.js";

interface TokenPayload {
  v: 1;
  /** The hop this token resumes into (the first continuation hop is 1). */
  hop: number;
  /** Digest of model + input: with store:false the SDK resends the original input with the token. */
  bind: string;
}

async function binding(model: string, input: unknown): Promise<string> {
  return toBase64Url(await sha256(`${model}\n${JSON.stringify(input)}`));
}

export async function mintContinuationToken(signer: Signer, model: string, input: unknown, hop: number): Promise<string> {
  const payload: TokenPayload = { v: 1, hop, bind: await binding(model, input) };
  const body = toBase64Url(utf8(JSON.stringify(payload)));
  return `${body}.${toBase64Url(await signer.sign(utf8(body)))}`;
}

/** Returns the hop a token resumes into, or throws 400 when it was not issued for this model and input. */
export async function readContinuationToken(signer: Signer, token: string, model: string, input: unknown): Promise<number> {
  const [body, mac, extra] = token.split(".");
  const macBytes = mac === undefined ? undefined : fromBase64(mac);
  const payloadBytes = body === undefined ? undefined : fromBase64(body);
  if (body === undefined || extra !== undefined || !macBytes || !payloadBytes || !(await signer.verify(macBytes, utf8(body)))) {
    throw invalidRequest("The continuation_token is invalid.");
  }
  const payload: unknown = JSON.parse(new TextDecoder().decode(payloadBytes));
  if (!isRecord(payload) || typeof payload.hop !== "number" || payload.bind !== (await binding(model, input))) {
    throw invalidRequest("The continuation_token does not belong to this request's model and input.");
  }
  return payload.hop;
}

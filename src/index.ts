/** The Worker entry: the relay app wired to the real Gemini upstream. */
import { createApp } from "./app";

export default createApp();

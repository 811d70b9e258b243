// Runs in each node test worker before its file: the processes the file starts inherit the run's
// mark (set at run time, so it is in their environment and not in this worker's own /proc entry).
import { inject } from "vitest";
import { MARK_VARIABLE } from "./process-mark";

process.env[MARK_VARIABLE] = inject("processMark");

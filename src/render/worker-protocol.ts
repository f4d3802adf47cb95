/**
 * Messages between the main thread and the render worker. Shared by
 * worker.ts (the worker's side) and worker-client.ts (the caller's side).
 */
import type { MessagePort } from 'node:worker_threads';
import type { LifeWords } from '../snapshot/worker-life.js';

export interface PngParams {
  /** Zoom factor over Graphviz's natural size (points at 96 dpi). */
  scale: number;
  /** Longest side allowed, in pixels; larger images are scaled down to fit. */
  maxSide: number;
  /** TrueType/OpenType font files for text (no system fonts are loaded). */
  fontFiles: string[];
  /** The family every text falls back to. */
  fontFamily: string;
}

export type RenderRequest =
  | { id: number; op: 'ping' }
  | { id: number; op: 'warm' }
  | { id: number; op: 'svg'; dot: string }
  | { id: number; op: 'png'; dot: string; png: PngParams }
  | { id: number; op: 'svg2png'; svg: string; png: PngParams };

export type RenderResponse =
  | { id: number; ok: true; svg?: string; png?: Uint8Array; warnings?: string[] }
  | { id: number; ok: false; error: string };

/** What the worker receives at start. */
export interface RenderWorkerData {
  port: MessagePort;
  /** Int32Array over it: index 0 is set to 1 and notified when a response is posted; 1 and 2 are the worker's start and end ({@link RENDER_LIFE}). */
  signal: SharedArrayBuffer;
}

/** The words of the signal the worker sets as it starts and ends (see ../snapshot/worker-life.ts). */
export const RENDER_LIFE: LifeWords = { started: 1, gone: 2 };

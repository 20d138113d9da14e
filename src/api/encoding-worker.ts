// A worker thread that runs the covert-encoding analysis of one screened file's text units
// (analyzeScreenedUnits) and answers with its report, so the thread that started it can go on
// meanwhile (see analyzeScreenedOffThread in encoding-screened.ts).
import { parentPort, workerData } from 'node:worker_threads';
import { analyzeScreenedUnits, type ScreenedUnits } from './encoding-screened.js';

parentPort!.postMessage(analyzeScreenedUnits(workerData as ScreenedUnits));

/**
 * `@plumb/tools/internal`: what the agent loop shares with the tool runner so that each rule has
 * one home (the texts the model is told when a call fails; the arguments parsed without a promise
 * when none is needed). NOT public API: names here may change in any release without notice.
 *
 * @packageDocumentation
 */
export {
  approvalCheckFailedText,
  cancelledText,
  duplicateCallIdText,
  invalidArgumentsText,
  rejectedError,
  rejectedText,
  timedOutText,
  toolThrewText,
  unknownToolError,
  unknownToolText,
  unserializableResultText,
} from './failure-texts.js';
export { parseToolArguments } from './tool.js';

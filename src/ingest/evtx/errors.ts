/** A part of an EVTX file that cannot be read: the message says what is wrong (where is added by the caller). */
export class EvtxError extends Error {}

/** A gRPC status the stand-in answers with, as Speech would (code names from google.rpc.Code). */
export class SpeechFault extends Error {
  constructor(
    readonly status: "INVALID_ARGUMENT" | "NOT_FOUND" | "UNIMPLEMENTED" | "FAILED_PRECONDITION" | "INTERNAL",
    message: string,
  ) {
    super(message);
  }
}

export const unimplemented = (field: string, why = "the Speech stand-in does not implement it") =>
  new SpeechFault("UNIMPLEMENTED", `${field} is set, but ${why}`);

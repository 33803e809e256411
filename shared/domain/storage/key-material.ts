/**
 * A secret value (the archiver's key file) that says nothing when printed, logged, inspected or
 * serialised: only reveal() gives the text, at the one place that hands it over (Secret Manager,
 * 3CX). A mistake that logs it logs "(key material)".
 */
export class KeyMaterial {
  readonly #text: string;

  constructor(text: string) {
    this.#text = text;
  }

  reveal(): string {
    return this.#text;
  }

  toString(): string {
    return "(key material)";
  }

  toJSON(): string {
    return "(key material)";
  }

  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return "(key material)";
  }
}

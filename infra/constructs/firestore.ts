import { FirestoreDatabase } from "@cdktf/provider-google/lib/firestore-database/index.js";
import { Construct } from "constructs";

export interface FirestoreProps {
  projectId: string;
  /** A region (e.g. europe-west1) or multi-region (eur3, nam5); it cannot change after creation. */
  location: string;
}

/**
 * The (default) Firestore database in Native mode: links, leases, runs, holds and channels.
 * Deletion-protected and abandoned (not deleted) on destroy: it is the only copy of that state.
 */
export class Firestore extends Construct {
  readonly database: FirestoreDatabase;

  constructor(scope: Construct, id: string, props: FirestoreProps) {
    super(scope, id);
    this.database = new FirestoreDatabase(this, "default", {
      project: props.projectId,
      name: "(default)",
      type: "FIRESTORE_NATIVE",
      locationId: props.location,
      deleteProtectionState: "DELETE_PROTECTION_ENABLED",
      deletionPolicy: "ABANDON",
    });
  }
}

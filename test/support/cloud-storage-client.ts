import { generateKeyPairSync, randomUUID } from "node:crypto";
import { Storage } from "@google-cloud/storage";

/** The account the test clients sign links as; its public key is registered with the stand-in. */
export const SIGNER_ACCOUNT = "gw3cx-functions@gw3cx-test.iam.gserviceaccount.com";

/**
 * A real @google-cloud/storage client on the Cloud Storage stand-in, holding a private key so it
 * signs V4 links itself (in the cloud the account has none and the client asks IAM signBlob);
 * the stand-in checks those signatures against the public key registered here.
 */
export async function cloudStorageClient(host: string, admin: string): Promise<Storage> {
  const { publicKey, privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const response = await fetch(`http://${admin}/signers`, {
    method: "POST",
    body: JSON.stringify({
      account: SIGNER_ACCOUNT,
      publicKeyPem: publicKey.export({ type: "spki", format: "pem" }).toString(),
    }),
  });
  if (!response.ok) throw new Error(`registering the signer failed: ${response.status}`);
  return new Storage({
    apiEndpoint: `http://${host}`,
    projectId: "gw3cx-test",
    credentials: {
      client_email: SIGNER_ACCOUNT,
      private_key: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
    },
  });
}

/** A fresh bucket with a name no other test uses. */
export async function freshBucket(storage: Storage): Promise<string> {
  const name = `gw3cx-test-${randomUUID().slice(0, 13)}`;
  await storage.createBucket(name);
  return name;
}

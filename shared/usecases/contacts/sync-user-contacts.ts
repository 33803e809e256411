import { createHash } from "node:crypto";
import type { ContactFieldName } from "../../domain/contacts/contact-fields.js";
import type {
  ContactLink,
  ContactSyncPlan,
  PbxPersonalContact,
} from "../../domain/contacts/contact-sync-plan.js";
import { labelledContacts } from "../../domain/contacts/labelled-contacts.js";
import { GW3CX_CONTACT_TYPE, planContactSync } from "../../domain/contacts/plan-contact-sync.js";
import { isGw3cxError } from "../../errors.js";
import type { ThreeCxContact } from "../../ports/threecx.js";
import { ContactLinkStore } from "./contact-link-store.js";
import { emptyCounts } from "./contact-run-store.js";
import type { ContactSyncConfig, ContactSyncPorts } from "./contact-sync-ports.js";
import { describeContactFailure } from "./describe-contact-failure.js";
import { describeOverflow } from "./describe-overflow.js";
import { readUnderLabel } from "./read-under-label.js";
import type { ContactSyncUser, UserContactsResult } from "./user-contacts-result.js";

/** Short and stable: only compared with what the same code stored. */
export function contentHash(canonical: string): string {
  return createHash("sha256").update(canonical).digest("base64url").slice(0, 22);
}

function toPbxContact(contact: ThreeCxContact): PbxPersonalContact {
  const { Id, ContactType, Tag: _tag, ...rest } = contact;
  const fields: PbxPersonalContact["fields"] = {};
  for (const [name, value] of Object.entries(rest) as [ContactFieldName, string | null][])
    if (value !== null && value !== "") fields[name] = value;
  return { id: Id, contactType: ContactType, fields };
}

/**
 * One user's labelled Google contacts into their extension's personal phonebook: read the changes
 * since the stored sync token (all of them the first time, after Google expired the token, or when
 * the label was made again) under the label (its stored id, looked up by name only when needed, see
 * readUnderLabel), plan against the links and the phonebook, apply.
 * Never throws for a user's own trouble (no label, missing scope, a refused write): the result says.
 */
export async function syncUserContacts(
  ports: ContactSyncPorts,
  config: ContactSyncConfig,
  user: ContactSyncUser,
  options: { dryRun?: boolean } = {},
): Promise<UserContactsResult> {
  const result: UserContactsResult = {
    googleId: user.googleId,
    email: user.email,
    status: "done",
    fullRead: false,
    counts: emptyCounts(),
    notes: [],
    overflow: [],
    unfit: [],
    writeErrors: [],
  };
  const log = ports.logger.child({ googleUserId: user.googleId });
  try {
    await syncInto(result, ports, config, user, options.dryRun === true);
  } catch (error) {
    result.status = "failed";
    result.failure = describeContactFailure(error, user);
    log.event("contactsUserFailed", { code: result.failure.code, error });
  }
  return result;
}

async function syncInto(
  result: UserContactsResult,
  ports: ContactSyncPorts,
  config: ContactSyncConfig,
  user: ContactSyncUser,
  dryRun: boolean,
): Promise<void> {
  const store = new ContactLinkStore(ports.state);
  const [links, stored] = await Promise.all([store.of(user.googleId), store.syncState(user.googleId)]);
  const found = await readUnderLabel(ports, config, user, stored);
  if (!found) {
    await labelMissing(result, ports, config, store, user, links, stored !== undefined, dryRun);
    return;
  }
  const { label } = found;
  let { read } = found;
  let sorted = labelledContacts(read.contacts, label.resourceName, contentHash, config.phoneRegion);
  // Nothing changed since the token: the phonebook is as gw3cx left it, so 3CX is not even read.
  const untouched = !read.full && sorted.desired.length === 0 && sorted.removed.length === 0;
  let plan: ContactSyncPlan;
  if (untouched) {
    plan = emptyPlan(links.length);
  } else {
    const pbx = (await ports.threecx.listPersonalContacts(user.number)).map(toPbxContact);
    const planFor = () =>
      planContactSync({
        desired: sorted.desired,
        removed: sorted.removed,
        full: read.full,
        links,
        pbxContacts: pbx,
        maxCount: user.maxCount,
      });
    plan = planFor();
    if (plan.missingLinked.length > 0 && !read.full) {
      // Contacts deleted by hand in 3CX whose fields this read did not bring: read everything again.
      read = await ports.people.syncContacts(user.email);
      sorted = labelledContacts(read.contacts, label.resourceName, contentHash, config.phoneRegion);
      plan = planFor();
    }
  }
  result.fullRead = read.full;
  result.plan = plan;
  result.overflow = sorted.overflow;
  result.unfit = sorted.unfit;
  result.counts.overflow = sorted.overflow.reduce((n, o) => n + o.overflow.length, 0);
  result.counts.unfit = sorted.unfit.length;
  if (sorted.overflow.length > 0)
    result.notes.push({ code: "CONTACT_VALUES_NOT_WRITTEN", message: describeOverflow(sorted.overflow) });
  if (sorted.unfit.length > 0)
    result.notes.push({
      code: "CONTACTS_UNFIT_FOR_3CX",
      message: `${sorted.unfit.length} labelled contact(s) without a name or a phone number, which 3CX refuses: ${sorted.unfit
        .slice(0, 5)
        .map((u) => u.name)
        .join(", ")}`,
    });

  if (dryRun) {
    count(result, plan);
    return;
  }
  await apply(result, ports, store, user, plan);
  if (result.counts.overLimit > 0)
    result.notes.push({
      code: "PERSONAL_CONTACTS_LIMIT_REACHED",
      message: `extension ${user.number} reached the PBX's limit of ${user.maxCount ?? "?"} personal contacts; ${result.counts.overLimit} contact(s) not written`,
    });
  if (result.writeErrors.length > 0) {
    // The token would skip the contacts that failed: the next run reads everything again instead.
    await store.forgetSyncState(user.googleId);
    const [first] = result.writeErrors;
    result.status = "failed";
    result.failure = {
      code: first?.code ?? "CONTACT_WRITE_FAILED",
      message: `${result.writeErrors.length} contact write(s) failed; the next run retries them (first: ${first?.action} ${first?.resourceName}: ${first?.message})`,
    };
    return;
  }
  // Contacts left out for the limit are not in 3CX: the next run must see them again.
  if (plan.overLimit.length > 0 || result.counts.overLimit > 0) await store.forgetSyncState(user.googleId);
  else
    await store.saveSyncState({
      googleId: user.googleId,
      syncToken: read.nextSyncToken,
      labelResourceName: label.resourceName,
      labelName: config.contactLabel,
      syncedAt: ports.clock.now().toISOString(),
    });
}

/** No label of that name: a note when gw3cx never wrote under it, else what it wrote goes. */
async function labelMissing(
  result: UserContactsResult,
  ports: ContactSyncPorts,
  config: ContactSyncConfig,
  store: ContactLinkStore,
  user: ContactSyncUser,
  links: ContactLink[],
  hadSyncState: boolean,
  dryRun: boolean,
): Promise<void> {
  if (links.length === 0) {
    // A token kept from the label's time would let later runs skip the lookup that reports this.
    if (hadSyncState && !dryRun) await store.forgetSyncState(user.googleId);
    result.status = "noLabel";
    result.notes.push({
      code: "NO_CONTACT_LABEL",
      message: `no label "${config.contactLabel}" in this user's Google contacts; nothing to sync`,
    });
    return;
  }
  // The label was deleted or renamed: what gw3cx put in 3CX under it goes.
  const pbx = (await ports.threecx.listPersonalContacts(user.number)).map(toPbxContact);
  const plan = planContactSync({
    desired: [],
    removed: [],
    full: true,
    labelGone: true,
    links,
    pbxContacts: pbx,
  });
  result.plan = plan;
  result.notes.push({
    code: "CONTACT_LABEL_GONE",
    message: `label "${config.contactLabel}" no longer exists; the ${plan.deletes.length} contact(s) gw3cx wrote are removed`,
  });
  if (!dryRun) {
    await apply(result, ports, store, user, plan);
    if (result.writeErrors.length === 0) await store.forgetSyncState(user.googleId);
  } else count(result, plan);
}

function emptyPlan(linked: number): ContactSyncPlan {
  return {
    creates: [],
    updates: [],
    deletes: [],
    adoptions: [],
    unchanged: linked,
    overLimit: [],
    missingLinked: [],
    staleLinks: [],
  };
}

/** A dry run's counts: what the plan would do. */
function count(result: UserContactsResult, plan: ContactSyncPlan): void {
  result.counts.created = plan.creates.length;
  result.counts.updated = plan.updates.length;
  result.counts.deleted = plan.deletes.length;
  result.counts.adopted = plan.adoptions.length;
  result.counts.unchanged = plan.unchanged;
  result.counts.overLimit = plan.overLimit.length;
}

/** Deletes first (they make room under the limit), then adoptions, updates, creates; each link saved as its write lands. */
async function apply(
  result: UserContactsResult,
  ports: ContactSyncPorts,
  store: ContactLinkStore,
  user: ContactSyncUser,
  plan: ContactSyncPlan,
): Promise<void> {
  const failed = (resourceName: string, action: string, error: unknown) => {
    result.writeErrors.push({
      resourceName,
      action,
      code: isGw3cxError(error) ? error.code : "UNEXPECTED",
      message: error instanceof Error ? error.message : String(error),
    });
    ports.logger.event("contactsWriteFailed", { googleUserId: user.googleId, action, error });
  };
  result.counts.unchanged = plan.unchanged;
  result.counts.overLimit = plan.overLimit.length;
  for (const resourceName of plan.staleLinks) await store.remove(user.googleId, resourceName);
  if (plan.deletes.length > 0) {
    try {
      await ports.threecx.deleteContacts(plan.deletes.map((d) => d.contactId));
      for (const d of plan.deletes) await store.remove(user.googleId, d.resourceName);
      result.counts.deleted = plan.deletes.length;
    } catch (error) {
      failed(plan.deletes[0]?.resourceName ?? "", "delete", error);
    }
  }
  for (const adoption of plan.adoptions) {
    await store.save(user.googleId, {
      resourceName: adoption.resourceName,
      contactId: adoption.contactId,
      hash: adoption.hash,
    });
    result.counts.adopted++;
  }
  for (const update of plan.updates) {
    try {
      await ports.threecx.updateContact(update.contactId, update.changes);
      await store.save(user.googleId, {
        resourceName: update.resourceName,
        contactId: update.contactId,
        hash: update.hash,
      });
      result.counts.updated++;
    } catch (error) {
      failed(update.resourceName, "update", error);
    }
  }
  for (const [index, create] of plan.creates.entries()) {
    try {
      const made = await ports.threecx.createPersonalContact(user.number, {
        ...create.fields,
        ContactType: GW3CX_CONTACT_TYPE,
      });
      await store.save(user.googleId, {
        resourceName: create.resourceName,
        contactId: made.Id,
        hash: create.hash,
      });
      result.counts.created++;
    } catch (error) {
      if (isLimitReached(error)) {
        // The PBX counts differently than we read (another writer, a limit it did not state): stop here.
        result.counts.overLimit += plan.creates.length - index;
        break;
      }
      failed(create.resourceName, "create", error);
    }
  }
}

function isLimitReached(error: unknown): boolean {
  return (
    isGw3cxError(error, "THREECX_REJECTED") &&
    (error as { warning?: string }).warning === "WARNINGS.LIMIT_REACHED"
  );
}

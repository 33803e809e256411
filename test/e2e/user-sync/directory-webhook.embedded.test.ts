import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_PUSH_BODY_BYTES } from "../../../shared/usecases/user-sync/handle-directory-push.js";
import { type EmbeddedWorld, startEmbeddedWorld } from "./embedded-world.js";
import { forgeries, type KnownChannel, postRaw, pushHeaders, userBody } from "./push-requests.js";

/** The local webhook (what `npm start` serves) as a stranger on the network would probe it. */
describe("the local Directory webhook", () => {
  let world: EmbeddedWorld;
  let live: KnownChannel;
  let expired: KnownChannel;

  beforeAll(async () => {
    world = await startEmbeddedWorld();
    const channels = await world.runtime.userSync.state.query<{ channelId: string; resourceId: string }>(
      "watchChannels",
      { limit: 2 },
    );
    const [first, second] = channels.map((c) => ({ id: c.data.channelId, resourceId: c.data.resourceId }));
    if (!first || !second) throw new Error("the world opened fewer than two channels");
    live = first;
    expired = second;
    await world.runtime.userSync.state.update("watchChannels", expired.id, { expirationMs: Date.now() - 1 });
  });

  afterAll(async () => {
    await world?.close();
  });

  it("answers every verification failure identically (status, headers, body) and publishes nothing", async () => {
    const before = world.published.length;
    const answers = [];
    for (const forgery of forgeries(live, expired, world.channelToken)) {
      answers.push({
        name: forgery.name,
        ...(await postRaw(world.host.webhookUrl, forgery.headers, userBody("1"))),
      });
    }
    const [first] = answers;
    expect(first).toMatchObject({ status: 403, body: "" });
    for (const answer of answers) {
      expect({ ...answer, name: first?.name }).toEqual(first);
    }
    // The same caller with the right token is let through: the checks above refused for their reason.
    const genuine = await postRaw(
      world.host.webhookUrl,
      pushHeaders(live, world.channelToken),
      userBody("1"),
    );
    expect(genuine.status).toBe(200);
    expect(world.published.length).toBe(before + 1);
  });

  it("refuses a body over the limit with 413, by its Content-Length or while it streams", async () => {
    const before = world.published.length;
    const headers = pushHeaders(live, world.channelToken);
    const big = userBody("1", MAX_PUSH_BODY_BYTES);
    const declared = await postRaw(world.host.webhookUrl, headers, big);
    expect(declared.status).toBe(413);
    const chunked = await postRaw(world.host.webhookUrl, headers, big, { chunked: true });
    expect(chunked.status).toBe(413);
    // A body just under the limit, chunked, still goes through.
    const fits = await postRaw(world.host.webhookUrl, headers, userBody("1", MAX_PUSH_BODY_BYTES - 200), {
      chunked: true,
    });
    expect(fits.status).toBe(200);
    expect(world.published.length).toBe(before + 1);
  });
});

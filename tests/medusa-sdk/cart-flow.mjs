// A storefront's cart flow, driven by the official Medusa JS SDK against a cartwright mock of
// the unmodified Medusa store spec (tests/corpus/medusa-store-v2.full.yaml).
//
// Why: a mock is only useful to a storefront team if their real client works against it. The
// SDK sends what it sends (its own headers, JSON bodies, query strings) and reads what it reads,
// so this checks the mock from the outside, the way a Medusa storefront would use it:
//   1-3  the catalogue has a region and a product variant, and a cart can be made in the region;
//   4-7  the cart is stateful: an added line item, a new quantity and an email are remembered
//        and come back on a later read;
//   8    shipping options can be listed for the cart.
//
// Usage: node cart-flow.mjs <base-url>
// Prints `ok <n> <name>` or `FAIL <n> <name>: <reason>` per step, then `<passed> passed,
// <failed> failed`, and exits 1 when any step failed. Later steps still run after a failure, and
// say which earlier result they lack.

import Medusa from "@medusajs/js-sdk";

const baseUrl = process.argv[2];
if (!baseUrl) {
  console.error("usage: node cart-flow.mjs <base-url>");
  process.exit(2);
}

const sdk = new Medusa({ baseUrl, debug: false, publishableKey: "pk_test" });
const EMAIL = "shopper@example.com";

/** Throws with `message` (and a short view of `seen`) unless `cond` holds. */
function check(cond, message, seen) {
  if (!cond) {
    throw new Error(seen === undefined ? message : `${message}; got ${brief(seen)}`);
  }
}

/** A one-line, bounded JSON view of a value, for failure reasons. */
function brief(value) {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 300 ? `${text.slice(0, 300)}...` : text;
}

/** Throws unless an earlier step produced `value`. */
function need(value, what) {
  if (value === undefined) throw new Error(`no ${what} from an earlier step`);
  return value;
}

/** The cart's line item with `id`, checked to be `variantId`'s with `quantity`. */
function expectItem(cart, id, variantId, quantity) {
  const items = cart?.items;
  check(Array.isArray(items), "cart.items is not an array", cart);
  const item = items.find((i) => i?.id === id);
  check(item, `no item with id ${id} in cart.items`, items);
  check(item.variant_id === variantId, `item.variant_id is not ${variantId}`, item);
  check(item.quantity === quantity, `item.quantity is not ${quantity}`, item);
  return item;
}

const state = {};
let passed = 0;
let failed = 0;

async function step(n, name, body) {
  try {
    await body();
    passed += 1;
    console.log(`ok ${n} ${name}`);
  } catch (e) {
    failed += 1;
    const status = e?.status ? `HTTP ${e.status} ${e.statusText ?? ""}`.trim() + ": " : "";
    console.log(`FAIL ${n} ${name}: ${status}${e?.message ?? e}`.replace(/\s*\n\s*/g, " "));
  }
}

await step(1, "list regions", async () => {
  const { regions } = await sdk.store.region.list();
  check(Array.isArray(regions) && regions.length > 0, "no regions", regions);
  check(typeof regions[0]?.id === "string", "the first region has no id", regions[0]);
  state.regionId = regions[0].id;
});

await step(2, "list products", async () => {
  const region_id = need(state.regionId, "region id");
  const { products } = await sdk.store.product.list({ region_id });
  check(Array.isArray(products) && products.length > 0, "no products", products);
  const variant = products
    .flatMap((p) => (Array.isArray(p?.variants) ? p.variants : []))
    .find((v) => typeof v?.id === "string");
  check(variant, "no product has a variant with an id", products);
  state.variantId = variant.id;
});

await step(3, "create cart", async () => {
  const region_id = need(state.regionId, "region id");
  const { cart } = await sdk.store.cart.create({ region_id });
  check(typeof cart?.id === "string", "cart.id is missing", cart);
  check(cart.region_id === region_id, `cart.region_id is not ${region_id}`, cart.region_id);
  state.cartId = cart.id;
});

await step(4, "add line item", async () => {
  const cartId = need(state.cartId, "cart id");
  const variant_id = need(state.variantId, "variant id");
  const { cart } = await sdk.store.cart.createLineItem(cartId, { variant_id, quantity: 2 });
  const items = Array.isArray(cart?.items) ? cart.items : [];
  const item = items.find((i) => i?.variant_id === variant_id && i?.quantity === 2);
  check(item, `no item with variant_id ${variant_id} and quantity 2`, cart?.items);
  check(typeof item.id === "string", "the new item has no id", item);
  state.lineId = item.id;
});

await step(5, "retrieve cart", async () => {
  const cartId = need(state.cartId, "cart id");
  const lineId = need(state.lineId, "line item id");
  const { cart } = await sdk.store.cart.retrieve(cartId);
  check(cart?.id === cartId, `cart.id is not ${cartId}`, cart?.id);
  check(cart.items?.length === 1, "the cart does not hold exactly one item", cart.items);
  expectItem(cart, lineId, state.variantId, 2);
});

await step(6, "update line item quantity", async () => {
  const cartId = need(state.cartId, "cart id");
  const lineId = need(state.lineId, "line item id");
  await sdk.store.cart.updateLineItem(cartId, lineId, { quantity: 5 });
  const { cart } = await sdk.store.cart.retrieve(cartId);
  expectItem(cart, lineId, state.variantId, 5);
});

await step(7, "set cart email", async () => {
  const cartId = need(state.cartId, "cart id");
  const lineId = need(state.lineId, "line item id");
  await sdk.store.cart.update(cartId, { email: EMAIL });
  const { cart } = await sdk.store.cart.retrieve(cartId);
  check(cart?.email === EMAIL, `cart.email is not ${EMAIL}`, cart?.email);
  check(cart.items?.some((i) => i?.id === lineId), "the line item is gone", cart.items);
});

await step(8, "list shipping options", async () => {
  const cart_id = need(state.cartId, "cart id");
  const answer = await sdk.store.fulfillment.listCartOptions({ cart_id });
  check(Array.isArray(answer?.shipping_options), "no shipping_options array", answer);
});

console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);

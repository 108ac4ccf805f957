// Committed full-profile units computed before results were required to be reproducible: most
// from a dirty tree, all without the engine revision in their cache key. They are accepted as they
// are (whatever the code now gives as their key) until the model-pool rebuild replaces them; the
// "How figures are made" page says which results these are. Each entry pins the cache key that
// is in the committed file, so a unit rewritten since is judged like any other.
//
// "<experiment>/<unit key>": cache key recorded in generated/<experiment>/<unit key>.json
export const LEGACY_UNITS: Readonly<Record<string, string>> = {
  "shape-bias/hybrid_mini_28-s0": "d5d7fd853b9e25491b6e",
  "shape-bias/hybrid_mini_28-s1": "2e91ab84416ef9b6c67e",
  "shape-bias/hybrid_mini_28-s2": "95849277d86bde36daee",
  "shape-bias/pvt_mini_28-s0": "23481c3a8b20a055e985",
  "shape-bias/pvt_mini_28-s1": "69f74e612efd9be3b748",
  "shape-bias/pvt_mini_28-s2": "cac32075dc9a0ad5bdc8",
  "shape-bias/resnet_mini_28-s0": "5e62f758177b3b549369",
  "shape-bias/resnet_mini_28-s1": "e0f853fbcde233ad3ff7",
  "shape-bias/resnet_mini_28-s2": "df9102ec4da3bee3ce36",
  "shape-bias/swin_mini_28-s0": "34ff8e4b498f7958d7ce",
  "shape-bias/swin_mini_28-s1": "df2e6a07e6b82a6bd5bb",
  "shape-bias/swin_mini_28-s2": "4429f3a716e4839d7709",
  "shape-bias/vit_mini_patch4_28-s0": "5babef278334dd828bf0",
  "shape-bias/vit_mini_patch4_28-s1": "295898836a8e85ef1c6d",
  "shape-bias/vit_mini_patch4_28-s2": "ee47064887531887a95e",
};

export const isLegacyUnit = (experiment: string, unitKey: string, recordedCacheKey: string): boolean =>
  LEGACY_UNITS[`${experiment}/${unitKey}`] === recordedCacheKey;

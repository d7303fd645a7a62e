// The one place the engine's protocol meets the declarations: the extra keys the dynamic
// provider adds (`__provider`) are taken off every value going in and put back on checked
// inputs; values not known yet (preview) are checked as far as they are known and never reach
// a declaration's node-facing functions; replacements come from `replaceOnChanges`; credentials
// are opened per call and sealed out of every result (credentials.ts).
import type { Declaration } from "./declaration";
import type { Deps } from "./deps";
import { withCredentials } from "./credentials";
import { type Handler, type Inputs, containsUnknown, sameValue, validate } from "./handler";

/** Keys the engine adds to every dynamic resource's inputs and outputs. */
export const ENGINE_KEYS = ["__provider"] as const;

/** The value without the engine's keys. */
export function withoutEngineKeys(values: Inputs): Inputs {
  const rest = { ...values };
  for (const k of ENGINE_KEYS) delete rest[k];
  return rest;
}

/** The engine's keys of `from` put back on `values` (the dynamic provider needs them on checked inputs). */
function withEngineKeysOf(values: Inputs, from: Inputs): Inputs {
  const out = { ...values };
  for (const k of ENGINE_KEYS) if (from[k] !== undefined) out[k] = from[k];
  return out;
}

/** The engine-facing handler of one declared resource, bound to one process's deps. */
export function handlerOf<T>(decl: Declaration<T>, deps: Deps): Handler {
  const plain: Handler = {
    async check(rawOlds, rawNews) {
      const olds = withoutEngineKeys(rawOlds);
      const news = withoutEngineKeys(rawNews);
      const early = decl.precheck?.(olds, news);
      if (early) return early;
      // Every known value is checked, even while others are unknown (preview).
      const result = validate(decl.inputs, news);
      if (!result.ok && result.failures.length > 0) return { failures: result.failures };
      const parsed = result.ok ? result.value : undefined;
      let checked;
      if (parsed === undefined || containsUnknown(rawNews)) {
        const inputs = decl.preview
          ? decl.preview(news, parsed)
          : parsed !== undefined
            ? { ...news, ...(parsed as Inputs) }
            : news;
        checked = { inputs };
      } else if (decl.check) {
        checked = await decl.check(deps, { olds, news, inputs: parsed });
      } else {
        checked = { inputs: { ...news, ...(parsed as Inputs) } };
      }
      return checked.inputs ? { ...checked, inputs: withEngineKeysOf(checked.inputs, rawNews) } : checked;
    },

    async diff(_id, rawOlds, rawNews) {
      const olds = withoutEngineKeys(rawOlds);
      const news = withoutEngineKeys(rawNews);
      const replaces = decl.replaceOnChanges.filter((k) => !sameValue(olds[k], news[k]));
      if (replaces.length > 0)
        return { replaces, ...(decl.deleteBeforeReplace ? { deleteBeforeReplace: true } : {}) };
      return decl.diff(deps, olds, news);
    },

    async create(inputs) {
      deps.log(`${decl.kind}.create`);
      return decl.create(deps, withoutEngineKeys(inputs));
    },
    async read(id, state) {
      deps.log(`${decl.kind}.read ${id}`);
      return decl.read(deps, id, withoutEngineKeys(state));
    },
    async update(id, olds, news) {
      deps.log(`${decl.kind}.update ${id}`);
      return decl.update(deps, id, withoutEngineKeys(olds), withoutEngineKeys(news));
    },
    async delete(id, state) {
      deps.log(`${decl.kind}.delete ${id}`);
      return decl.delete(deps, id, withoutEngineKeys(state));
    },
  };
  return withCredentials(plain, () => deps.stack());
}

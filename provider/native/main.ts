#!/usr/bin/env node
// `pulumi-resource-glusterfs`: the plugin the Pulumi CLI starts (found on the PATH, or named in
// Pulumi.yaml `plugins.providers`). @pulumi/pulumi's provider server drops what the Configure call
// carries, so provider config comes from `PULUMI_CONFIG`, the stack's `glusterfs:*` config the
// engine hands every plugin it launches.
import * as providerProto from "@pulumi/pulumi/proto/provider_pb";
import * as pulumiProvider from "@pulumi/pulumi/provider";
import { GlusterProvider } from "./provider";

function configFromEnv(): Record<string, unknown> {
  const raw = process.env.PULUMI_CONFIG;
  if (!raw) return {};
  try {
    return JSON.parse(raw) as Record<string, unknown>;
  } catch {
    throw new Error("PULUMI_CONFIG is not a JSON object: the engine sets it; do not set it by hand");
  }
}

/**
 * `pulumi import` sends a Read with no properties at all, and @pulumi/pulumi's server (3.248)
 * calls `toJavaScript()` on them unchecked, failing before the provider sees the ID. An absent
 * state reads as empty, which is what it means.
 */
function readsWithoutStateAsEmpty(): void {
  const proto = providerProto.ReadRequest.prototype;
  const getProperties = proto.getProperties;
  proto.getProperties = function (this: providerProto.ReadRequest) {
    return getProperties.call(this) ?? ({ toJavaScript: () => ({}) } as ReturnType<typeof getProperties>);
  };
}

readsWithoutStateAsEmpty();
const provider = new GlusterProvider();
provider.configure(configFromEnv());
void pulumiProvider.main(provider, process.argv.slice(2));

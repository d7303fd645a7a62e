// The resource kinds the dynamic module serves, for the SDK (without loading the handlers).
export { RESOURCE_KINDS, type ResourceKind } from "../resources/kinds";

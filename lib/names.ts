/**
 * Name syntaxes that both config validation and the builders' documentation rely on.
 */

/** A DNS-1123 subdomain (host names, the apps domain). */
export const DNS_SUBDOMAIN = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** A DNS-1123 label (Kubernetes object names). */
export const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/** An image reference pinned by digest: OLM then serves exactly the candidate build that was tested. */
export const DIGEST_PINNED_IMAGE = /^[a-z0-9]+([._-][a-z0-9]+)*(:[0-9]+)?(\/[a-z0-9]+([._-][a-z0-9]+)*)+@sha256:[a-f0-9]{64}$/;

/** Whether a `/`-separated path has a `.` or `..` segment, which would name another place than it reads as. */
export function hasDotSegment(path: string): boolean {
    return path.split("/").some((segment) => segment === "." || segment === "..");
}

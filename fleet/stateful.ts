/**
 * Which resources hold state that a delete or a replace destroys, and why: the fleet diff marks such a step as data
 * loss, and `--fail-on-data-loss` refuses it until the pull request acknowledges it (acknowledgments.ts). A type
 * matches every resource of it; a Kubernetes object may also be named, for kinds where only some objects hold state.
 */
import type { ResourceRecord } from "../render/contract";

/** One kind of stateful resource. */
export interface StatefulFact {
    readonly type: string;
    /** Only the Kubernetes object of this metadata.name (others of the type hold nothing that is lost). */
    readonly objectName?: string;
    /** What is gone when it is deleted or replaced. */
    readonly reason: string;
}

export const STATEFUL: readonly StatefulFact[] = [
    { type: "aws:rds/instance:Instance", reason: "the Results database: every archived PipelineRun and TaskRun record (a replacement is a new, empty instance; only a final snapshot or a restore brings them back)" },
    { type: "aws:s3/bucket:Bucket", reason: "the logs bucket: every archived log (a bucket with objects cannot even be deleted without forceDestroy)" },
    { type: "aws:cloudwatch/logGroup:LogGroup", reason: "the database's exported logs (postgresql, upgrade) kept for their retention" },
    { type: "pulumi-nodejs:dynamic/pipeline-service:CosignKeyPair", reason: "the Chains signing key pair: a new key cannot verify anything signed before, and the old private key is gone" },
    { type: "kubernetes:core/v1:Secret", objectName: "signing-secrets", reason: "the Secret Chains signs with (cosign.key, cosign.password, cosign.pub): deleting it stops signing until it exists again" },
    { type: "kubernetes:core/v1:Namespace", reason: "the target namespace with everything in it: the operator's deployments, the Results, Chains and PaC Secrets, and every object another tool put there" },
    { type: "aws:iam/accessKey:AccessKey", reason: "the Results S3 credential: a replacement is a new key, and Results keeps using the old one until it restarts onto the new Secret" },
    { type: "random:index/randomPassword:RandomPassword", reason: "the Results database password: a replacement is a new password the running API does not have until it restarts" },
];

/** The stateful fact a record matches, if any. */
export function statefulFactOf(record: Pick<ResourceRecord, "type" | "inputs">): StatefulFact | undefined {
    const name = (record.inputs.metadata as { name?: unknown } | undefined)?.name;
    return STATEFUL.find((fact) => fact.type === record.type && (fact.objectName === undefined || fact.objectName === name));
}

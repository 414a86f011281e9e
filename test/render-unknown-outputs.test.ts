/**
 * The render records which outputs a first `pulumi preview` leaves unknown (contract field `unknownOutputs`).
 */
import * as assert from "node:assert/strict";
import { exampleRender, single } from "./harness";

describe("render: outputs unknown in a first preview", () => {
    it("lists the bucket's computed outputs the program leaves unset, and none of what it sets", async () => {
        const bucket = single(await exampleRender("dev"), "aws:s3/bucket:Bucket");
        for (const key of ["acl", "arn", "serverSideEncryptionConfiguration", "tagsAll"]) {
            assert.ok(bucket.unknownOutputs.includes(key), key);
        }
        for (const key of ["bucket", "forceDestroy", "tags"]) {
            assert.ok(!bucket.unknownOutputs.includes(key), key);
        }
        assert.deepEqual([...bucket.unknownOutputs].sort(), bucket.unknownOutputs);
    });

    it("lists none for Kubernetes objects, dynamic resources, providers and components", async () => {
        const result = await exampleRender("dev");
        const echoing = result.resources.filter((record) => !record.custom || /^(kubernetes|pulumi-nodejs|pulumi):/.test(record.type));
        assert.ok(echoing.length > 20);
        assert.deepEqual(echoing.filter((record) => record.unknownOutputs.length > 0).map((record) => record.urn), []);
    });
});

/**
 * The stack files of a directory: `Pulumi.<stack>.yaml`, sorted. Light on purpose (no SDK, no program): the fleet
 * CLI refuses a directory without stack files before it spawns the policy pack.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { RenderError } from "../render/errors";
import { shown } from "../render/settings";

/** One stack file. */
export interface StackFile {
    readonly stack: string;
    readonly file: string;
}

const STACK_FILE = /^Pulumi\.([A-Za-z0-9_.-]+)\.yaml$/;

/** The `Pulumi.<stack>.yaml` files of `dir`, sorted; none for a directory that does not exist. */
export function findStackFiles(dir: string): StackFile[] {
    if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
        return [];
    }
    return fs.readdirSync(dir).sort().flatMap((entry) => {
        const stack = STACK_FILE.exec(entry)?.[1];
        return stack === undefined ? [] : [{ stack, file: path.join(dir, entry) }];
    });
}

/** The `Pulumi.<stack>.yaml` files of `dir`, sorted; an empty or missing directory is a RenderError. */
export function listStackFiles(dir: string): StackFile[] {
    if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
        throw new RenderError(`no stacks directory ${shown(dir)}: it does not exist or is not a directory`);
    }
    const files = findStackFiles(dir);
    if (files.length === 0) {
        throw new RenderError(`no stack files in ${shown(dir)}: a stack is a Pulumi.<stack>.yaml file there`);
    }
    return files;
}

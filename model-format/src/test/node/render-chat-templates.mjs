// Renders chat templates with @huggingface/jinja, which renders them as transformers'
// apply_chat_template does; ChatTemplateReferenceTest compares our renderer's output with this.
// Usage: node render-chat-templates.mjs <@huggingface/jinja package folder> < cases.json
// Input: [{"template": "...", "context": {...}}, ...]; output: [{"output": "..."} or {"error": "..."}, ...].
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const { Template } = await import(pathToFileURL(join(process.argv[2], "dist", "index.js")).href);
const cases = JSON.parse(readFileSync(0, "utf8"));
const results = cases.map(({ template, context }) => {
  try {
    return { output: new Template(template).render(context) };
  } catch (error) {
    return { error: String(error.message ?? error) };
  }
});
process.stdout.write(JSON.stringify(results));

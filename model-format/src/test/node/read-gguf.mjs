// Reads GGUF files with npm's @huggingface/gguf (Hugging Face's parser, independent of ours) and
// prints what it found; GgufExportTest compares that with what llama.cpp expects.
// Usage: node read-gguf.mjs <folder holding node_modules/@huggingface/gguf> <file.gguf>...
// Output: [{"metadata": {key: value, arrays as {"length": n, "head": [first five]}},
//           "tensors": [{"name", "shape" (ggml order), "dtype" (ggml type id)}]}, ...]
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const { gguf } = await import(
  pathToFileURL(join(process.argv[2], "node_modules", "@huggingface", "gguf", "dist", "index.mjs")).href
);
const plain = (value) => (typeof value === "bigint" ? Number(value) : value);
const results = [];
for (const file of process.argv.slice(3)) {
  const { metadata, tensorInfos } = await gguf(file, { allowLocalFile: true });
  const keys = {};
  for (const [key, value] of Object.entries(metadata)) {
    keys[key] = Array.isArray(value)
      ? { length: value.length, head: value.slice(0, 5).map(plain) }
      : plain(value);
  }
  const tensors = tensorInfos.map((t) => ({
    name: t.name,
    shape: t.shape.map(plain),
    dtype: t.dtype,
  }));
  results.push({ metadata: keys, tensors });
}
process.stdout.write(JSON.stringify(results));

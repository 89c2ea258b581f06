// Loads GGUF files in llama.cpp (npm's node-llama-cpp with its prebuilt CPU build, no download, no
// build), tokenizes a text with each model's own tokenizer, and generates greedily after it;
// LlamaCppTest compares that with our tokenizer and between the files.
// Usage: node llama-cpp.mjs <folder holding node_modules/node-llama-cpp> <text> <tokens> <file.gguf>...
// Output: [{"tokens": [ids of the text], "logits": [next-token logits after the text, whole
//           vocabulary], "generated": [greedy ids], "text": "generated text"}, ...]
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const [folder, text, count, ...files] = process.argv.slice(2);
const { getLlama, LlamaLogLevel } = await import(
  pathToFileURL(join(folder, "node_modules", "node-llama-cpp", "dist", "index.js")).href
);
const llama = await getLlama({
  gpu: false,
  build: "never",
  skipDownload: true,
  usePrebuiltBinaries: true,
  progressLogs: false,
  logLevel: LlamaLogLevel.error,
});
const results = [];
for (const modelPath of files) {
  const model = await llama.loadModel({ modelPath, gpuLayers: 0 });
  const tokens = model.tokenize(text, false);
  const context = await model.createContext({ contextSize: 256, batchSize: 256, threads: 2 });
  const sequence = context.getSequence();
  const last = tokens.length - 1;
  const evaluated = await sequence.controlledEvaluate([
    ...tokens.slice(0, last),
    [tokens[last], { generateNext: { logits: true } }],
  ]);
  const logits = evaluated[last].next.logits;
  await sequence.clearHistory();
  const generated = [];
  for await (const token of sequence.evaluate(tokens, { temperature: 0 })) {
    generated.push(token);
    if (generated.length >= Number(count)) {
      break;
    }
  }
  results.push({
    tokens: Array.from(tokens),
    logits: Array.from({ length: logits.size }, (_, i) => logits.get(i)),
    generated,
    text: model.detokenize(generated),
  });
  await context.dispose();
  await model.dispose();
}
process.stdout.write(JSON.stringify(results));

// Drives Tuneforge's OpenAI-compatible API with the official `openai` npm package, as its users
// write it: upload a file, fine-tune, follow the events, list checkpoints, cancel a second job,
// pause and resume a third, list the models. Given only OPENAI_BASE_URL and OPENAI_API_KEY (the
// client reads both from the environment); TRAINING_FILE and MODEL name the data and base model.
// Prints one JSON line with what it saw, for the test to check.
import fs from 'node:fs';
import OpenAI from 'openai';

const client = new OpenAI({ maxRetries: 0 });
const model = process.env.MODEL;
const tiny = (steps, checkpointEvery) => ({
  n_epochs: 1,
  batch_size: 2,
  // Tuneforge's extensions among the hyperparameters
  max_steps: steps,
  checkpoint_every: checkpointEvery,
  max_sequence_length: 1024,
  evaluation_examples: 0,
});
const finished = (job) => ['succeeded', 'failed', 'cancelled'].includes(job.status);

async function until(id, condition, what) {
  const deadline = Date.now() + 6 * 60 * 1000;
  for (;;) {
    const job = await client.fineTuning.jobs.retrieve(id);
    if (condition(job)) return job;
    if (Date.now() > deadline) throw new Error(`waited for ${what}; the job is ${job.status}`);
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
}

const file = await client.files.create({
  file: fs.createReadStream(process.env.TRAINING_FILE),
  purpose: 'fine-tune',
});

const job = await client.fineTuning.jobs.create({
  model,
  training_file: file.id,
  suffix: 'node',
  seed: 11,
  method: { type: 'supervised', supervised: { hyperparameters: tiny(6, 3) } },
  metadata: { client: 'openai-node' },
});
const done = await until(job.id, finished, 'success');

const events = [];
for await (const event of client.fineTuning.jobs.listEvents(job.id, { limit: 5 })) {
  events.push(event);
}
const checkpoints = [];
for await (const checkpoint of client.fineTuning.jobs.checkpoints.list(job.id)) {
  checkpoints.push(checkpoint);
}

const second = await client.fineTuning.jobs.create({
  model,
  training_file: file.id,
  hyperparameters: tiny(200, 50),
});
await client.fineTuning.jobs.cancel(second.id);
const cancelled = await until(second.id, finished, 'cancelled');

const third = await client.fineTuning.jobs.create({
  model,
  training_file: file.id,
  hyperparameters: tiny(40, 5),
});
await until(third.id, (j) => j.status === 'running' || finished(j), 'running');
await client.fineTuning.jobs.pause(third.id);
const paused = await until(third.id, (j) => j.status === 'paused' || finished(j), 'paused');
await client.fineTuning.jobs.resume(third.id);
const resumed = await until(third.id, finished, 'success after resuming');

const models = [];
for await (const m of client.models.list()) {
  models.push(m.id);
}

let badHyperparameter = null;
try {
  await client.fineTuning.jobs.create({
    model,
    training_file: file.id,
    hyperparameters: { n_epochs: 0 },
  });
} catch (error) {
  if (!(error instanceof OpenAI.BadRequestError)) throw error;
  badHyperparameter = { status: error.status, param: error.param, type: error.type };
}

console.log(
  JSON.stringify({
    file: { id: file.id, status: file.status, filename: file.filename },
    job: {
      id: done.id,
      status: done.status,
      fine_tuned_model: done.fine_tuned_model,
      metadata: done.metadata,
    },
    events: events.map((e) => ({ id: e.id, type: e.type, message: e.message })),
    checkpoints: checkpoints.map((c) => ({ step: c.step_number, train_loss: c.metrics.train_loss })),
    cancelled: cancelled.status,
    paused: paused.status,
    resumed: resumed.status,
    models,
    badHyperparameter,
  }),
);

// Client side of DirectUpload, run once per attach with the component's element as `this`.
// Sends a file's parts straight to object storage through presigned URLs: a few at a time,
// each retried, progress reported to the server a few times a second. $tfCancel stops it all.
// putPart, partUploads and inParallel come from base/ui/part-put.js, which precedes this script.
const host = this;
const PARALLEL = 3;
const BATCH = 20;
const input = host.querySelector('input[type=file]');
const choose = host.querySelector('.choose-file');
const uploads = partUploads(host);

choose.addEventListener('click', () => input.click());
input.addEventListener('change', () => {
  const file = input.files[0];
  if (file) {
    send(file);
  }
  input.value = '';
});
host.addEventListener('dragover', e => {
  e.preventDefault();
  host.setAttribute('dragover', '');
});
host.addEventListener('dragleave', () => host.removeAttribute('dragover'));
host.addEventListener('drop', e => {
  e.preventDefault();
  host.removeAttribute('dragover');
  const file = e.dataTransfer && e.dataTransfer.files[0];
  if (file) {
    send(file);
  }
});

function send(file) {
  return uploads.run(async upload => {
    const plan = JSON.parse(await host.$server.start(file.name, file.size));
    if (plan.error || upload.cancelled) {
      return false;
    }
    upload.batches = [];
    await inParallel(upload, plan.partCount, PARALLEL, i => sendPart(upload, file, plan, i + 1));
    return true;
  });
}

async function partUrl(upload, n) {
  const batch = Math.floor((n - 1) / BATCH);
  if (!upload.batches[batch]) {
    upload.batches[batch] = host.$server.partUrls(batch * BATCH + 1, BATCH).then(JSON.parse);
  }
  return (await upload.batches[batch])[(n - 1) % BATCH];
}

async function sendPart(upload, file, plan, n) {
  const blob = file.slice((n - 1) * plan.partSize, Math.min(n * plan.partSize, file.size));
  await putPart(upload, { key: n, url: await partUrl(upload, n), blob });
}

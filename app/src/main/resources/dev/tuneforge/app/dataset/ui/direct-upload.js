// Client side of DirectUpload, run once per attach with the component's element as `this`.
// Sends a file's parts straight to object storage through presigned URLs: a few at a time,
// each retried, progress reported to the server a few times a second. $tfCancel stops it all.
// putPart comes from base/ui/part-put.js, which precedes this script.
const host = this;
const PARALLEL = 3;
const BATCH = 20;
const input = host.querySelector('input[type=file]');
const choose = host.querySelector('.choose-file');
let current = null;

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

host.$tfCancel = () => {
  if (current) {
    current.cancelled = true;
    current.requests.forEach(r => r.abort());
    current = null;
  }
  return true;
};

async function send(file) {
  if (current) {
    return;
  }
  const upload = { cancelled: false, requests: new Set(), loaded: new Map(), batches: [] };
  current = upload;
  let timer = null;
  try {
    const plan = JSON.parse(await host.$server.start(file.name, file.size));
    if (plan.error || upload.cancelled) {
      return;
    }
    timer = setInterval(() => report(upload), 300);
    let next = 1;
    const worker = async () => {
      while (!upload.cancelled && next <= plan.partCount) {
        await sendPart(upload, file, plan, next++);
      }
    };
    await Promise.all(Array.from({ length: Math.min(PARALLEL, plan.partCount) }, worker));
    if (upload.cancelled) {
      return;
    }
    clearInterval(timer);
    await host.$server.progress(file.size);
    await host.$server.finished();
  } catch (e) {
    if (!upload.cancelled) {
      upload.requests.forEach(r => r.abort());
      host.$server.failed(String((e && e.message) || e));
    }
  } finally {
    clearInterval(timer);
    if (current === upload) {
      current = null;
    }
  }
}

function report(upload) {
  let sent = 0;
  upload.loaded.forEach(bytes => (sent += bytes));
  if (!upload.cancelled) {
    host.$server.progress(sent);
  }
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

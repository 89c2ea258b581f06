// Client side of ModelFolderUpload, run once per attach with the component's element as `this`.
// Sends every file of a chosen folder straight to object storage in parts through presigned URLs:
// a few parts at a time, each retried, progress reported to the server a few times a second.
// A part storage already holds (an earlier, interrupted try) is not sent again. $tfCancel stops it.
// putPart comes from base/ui/part-put.js, which precedes this script.
const host = this;
const PARALLEL = 3;
const input = host.querySelector('input[type=file]');
const choose = host.querySelector('.choose-folder');
let current = null;

choose.addEventListener('click', () => input.click());
input.addEventListener('change', () => {
  const files = Array.from(input.files);
  if (files.length) {
    send(files);
  }
  input.value = '';
});

host.$tfCancel = () => {
  if (current) {
    current.cancelled = true;
    current.requests.forEach(r => r.abort());
    current = null;
  }
  return true;
};

// The name inside the folder: the path below the chosen folder itself.
function nameOf(file) {
  const path = file.webkitRelativePath || file.name;
  const slash = path.indexOf('/');
  return slash < 0 ? path : path.substring(slash + 1);
}

async function send(files) {
  if (current) {
    return;
  }
  const upload = { cancelled: false, requests: new Set(), loaded: new Map() };
  current = upload;
  let timer = null;
  try {
    const listed = files.map(f => ({ name: nameOf(f), size: f.size }));
    const plan = JSON.parse(await host.$server.start(JSON.stringify(listed)));
    if (plan.error || upload.cancelled) {
      return;
    }
    timer = setInterval(() => report(upload), 300);
    const byName = new Map(files.map(f => [nameOf(f), f]));
    const jobs = [];
    for (const filePlan of plan.files) {
      const sent = new Set(JSON.parse(await host.$server.sentParts(filePlan.name)));
      filePlan.partUrls.forEach((url, i) => {
        const n = i + 1;
        const file = byName.get(filePlan.name);
        const blob = file.slice((n - 1) * filePlan.partSize, Math.min(n * filePlan.partSize, file.size));
        const key = filePlan.name + '#' + n;
        if (sent.has(n)) {
          upload.loaded.set(key, blob.size);
        } else {
          jobs.push({ key, url, blob });
        }
      });
    }
    let next = 0;
    const worker = async () => {
      while (!upload.cancelled && next < jobs.length) {
        await putPart(upload, jobs[next++]);
      }
    };
    await Promise.all(Array.from({ length: Math.min(PARALLEL, jobs.length) }, worker));
    if (upload.cancelled) {
      return;
    }
    clearInterval(timer);
    report(upload);
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

// Shared by the upload components' scripts, which it precedes. putPart PUTs one part of a file to
// its presigned URL, retried with back-off. `upload` holds the open requests, the bytes sent per part
// (`loaded`, for progress) and `cancelled`; `job` is { key, url, blob }.
const RETRIES = 4;

async function putPart(upload, job) {
  for (let attempt = 1; ; attempt++) {
    try {
      await put(upload, job);
      return;
    } catch (e) {
      upload.loaded.set(job.key, 0);
      if (upload.cancelled || attempt >= RETRIES) {
        throw e;
      }
      await new Promise(resolve => setTimeout(resolve, 500 * 2 ** attempt));
    }
  }
}

function put(upload, job) {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    upload.requests.add(request);
    const done = () => upload.requests.delete(request);
    request.open('PUT', job.url);
    request.upload.onprogress = e => upload.loaded.set(job.key, e.loaded);
    request.onload = () => {
      done();
      if (request.status >= 200 && request.status < 300) {
        upload.loaded.set(job.key, job.blob.size);
        resolve();
      } else {
        reject(new Error('part ' + job.key + ': storage answered ' + request.status + ' ' + request.statusText));
      }
    };
    request.onerror = () => {
      done();
      reject(new Error('part ' + job.key + ': storage could not be reached (check its CORS settings)'));
    };
    request.onabort = () => {
      done();
      reject(new Error('cancelled'));
    };
    request.send(job.blob);
  });
}

// One upload at a time for a component's element `host`: `run(work)` calls `work(upload)`, which
// asks the server for a plan and sends the parts (false: the server refused to start), reports
// the bytes sent to `host.$server.progress` a few times a second, and then calls
// `host.$server.finished()`, or `host.$server.failed(reason)` when a part could not be sent.
// `host.$tfCancel()` stops the requests of the upload under way.
function partUploads(host) {
  let current = null;
  host.$tfCancel = () => {
    if (current) {
      current.cancelled = true;
      current.requests.forEach(r => r.abort());
      current = null;
    }
    return true;
  };
  const report = upload => {
    let sent = 0;
    upload.loaded.forEach(bytes => (sent += bytes));
    if (!upload.cancelled) {
      host.$server.progress(sent);
    }
  };
  return {
    async run(work) {
      if (current) {
        return;
      }
      const upload = { cancelled: false, requests: new Set(), loaded: new Map() };
      current = upload;
      const timer = setInterval(() => report(upload), 300);
      try {
        const started = await work(upload);
        if (!started || upload.cancelled) {
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
    },
  };
}

// Calls `send(i)` for i = 0 … count - 1, `parallel` at a time, until the upload is cancelled.
async function inParallel(upload, count, parallel, send) {
  let next = 0;
  const worker = async () => {
    while (!upload.cancelled && next < count) {
      await send(next++);
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, count) }, worker));
}

// Shared by the upload components' scripts, which it precedes: PUTs one part of a file to its
// presigned URL, retried with back-off. `upload` holds the open requests, the bytes sent per part
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

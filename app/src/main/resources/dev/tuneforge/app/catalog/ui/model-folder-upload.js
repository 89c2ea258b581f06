// Client side of ModelFolderUpload, run once per attach with the component's element as `this`.
// Sends every file of a chosen folder straight to object storage in parts through presigned URLs:
// a few parts at a time, each retried, each reported to the server once sent, progress a few times
// a second. A part storage already holds (an interrupted try, or one before a page reload) is not
// sent again. $tfCancel stops it; $tfPick opens the folder picker.
// putPart, partUploads and inParallel come from base/ui/part-put.js, which precedes this script.
const host = this;
const PARALLEL = 3;
const input = host.querySelector('input[type=file]');
const choose = host.querySelector('.choose-folder');
const uploads = partUploads(host);

host.$tfPick = () => input.click();
choose.addEventListener('click', () => input.click());
input.addEventListener('change', () => {
  const files = Array.from(input.files);
  if (files.length) {
    send(files);
  }
  input.value = '';
});

// The name inside the folder: the path below the chosen folder itself.
function nameOf(file) {
  const path = file.webkitRelativePath || file.name;
  const slash = path.indexOf('/');
  return slash < 0 ? path : path.substring(slash + 1);
}

function send(files) {
  return uploads.run(async upload => {
    const listed = files.map(f => ({ name: nameOf(f), size: f.size }));
    const plan = JSON.parse(await host.$server.start(JSON.stringify(listed)));
    if (plan.error || upload.cancelled) {
      return false;
    }
    const byName = new Map(files.map(f => [nameOf(f), f]));
    const jobs = [];
    for (const filePlan of plan.files) {
      const sent = new Set(JSON.parse(await host.$server.sentParts(filePlan.name)));
      const file = byName.get(filePlan.name);
      filePlan.partUrls.forEach((_, i) => {
        const n = i + 1;
        const blob = file.slice((n - 1) * filePlan.partSize, Math.min(n * filePlan.partSize, file.size));
        const key = filePlan.name + '#' + n;
        if (sent.has(n)) {
          upload.loaded.set(key, blob.size);
        } else {
          jobs.push({ name: filePlan.name, n, key, blob });
        }
      });
    }
    // Part URLs last minutes and are signed for the part's exact length: each is fetched just
    // before its part is sent.
    await inParallel(upload, jobs.length, PARALLEL, async i => {
      jobs[i].url = await host.$server.partUrl(jobs[i].name, jobs[i].n);
      await putPart(upload, jobs[i]);
      host.$server.partSent(jobs[i].name, jobs[i].blob.size);
    });
    return true;
  });
}

package dev.tuneforge.app.export;

import dev.tuneforge.app.database.AfterCommit;
import dev.tuneforge.app.storage.ObjectKeys;
import dev.tuneforge.app.storage.ObjectStorage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Removes the merged model files of a cancelled merge once its end is committed, so that a merge
 * cancelled after (or while) its node uploaded leaves nothing to download or pay storage for. A
 * failure is logged: the merge stays cancelled, and a later merge of the job writes a folder of its
 * own, the only one its download reads. A plain listener that deletes after commit ({@link
 * AfterCommit}), with no record of its event: files a crash leaves behind are left alike.
 */
@Component
class CancelledMergeFiles {
  private static final Logger log = LoggerFactory.getLogger(CancelledMergeFiles.class);

  private final ObjectStorage storage;

  CancelledMergeFiles(ObjectStorage storage) {
    this.storage = storage;
  }

  @EventListener
  void on(MergeEndedCancelled cancelled) {
    AfterCommit.run(() -> remove(cancelled));
  }

  private void remove(MergeEndedCancelled cancelled) {
    // every holding's: what a node that lost the merge wrote goes too
    String folder = ObjectKeys.jobMerged(cancelled.tenantId(), cancelled.jobId());
    try {
      storage.deleteAll(folder);
    } catch (RuntimeException e) {
      log.warn("Could not remove the files of the cancelled merge under {}", folder, e);
    }
  }
}

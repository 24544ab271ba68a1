package dev.tandem.kafka.network;

import dev.tandem.storage.log.FileSlice;
import org.apache.kafka.common.record.internal.BaseRecords;
import org.apache.kafka.common.record.internal.RecordsSend;

/**
 * Record batches of a fetch response that stay in the segment file: {@link ResponseWriter} sends
 * them with zero copy as a {@link SegmentFileRegion} instead of serialising them.
 */
public final class FileSliceRecords implements BaseRecords {
  private final FileSlice slice;

  public FileSliceRecords(FileSlice slice) {
    this.slice = slice;
  }

  public FileSlice slice() {
    return slice;
  }

  @Override
  public int sizeInBytes() {
    return slice.size();
  }

  /** Kafka's own network layer is not used here; {@link ResponseWriter} sends the slice. */
  @Override
  public RecordsSend<? extends BaseRecords> toSend() {
    throw new UnsupportedOperationException("file slices are sent by ResponseWriter");
  }
}

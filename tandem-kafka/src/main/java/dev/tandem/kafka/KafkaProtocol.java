package dev.tandem.kafka;

import dev.tandem.kafka.api.AlterConfigsHandler;
import dev.tandem.kafka.api.ApiVersionsHandler;
import dev.tandem.kafka.api.CreatePartitionsHandler;
import dev.tandem.kafka.api.CreateTopicsHandler;
import dev.tandem.kafka.api.DeleteGroupsHandler;
import dev.tandem.kafka.api.DeleteRecordsHandler;
import dev.tandem.kafka.api.DeleteTopicsHandler;
import dev.tandem.kafka.api.DescribeClusterHandler;
import dev.tandem.kafka.api.DescribeConfigsHandler;
import dev.tandem.kafka.api.DescribeGroupsHandler;
import dev.tandem.kafka.api.DescribeLogDirsHandler;
import dev.tandem.kafka.api.FetchHandler;
import dev.tandem.kafka.api.FindCoordinatorHandler;
import dev.tandem.kafka.api.HeartbeatHandler;
import dev.tandem.kafka.api.IncrementalAlterConfigsHandler;
import dev.tandem.kafka.api.InitProducerIdHandler;
import dev.tandem.kafka.api.JoinGroupHandler;
import dev.tandem.kafka.api.KafkaNode;
import dev.tandem.kafka.api.LeaveGroupHandler;
import dev.tandem.kafka.api.ListGroupsHandler;
import dev.tandem.kafka.api.ListOffsetsHandler;
import dev.tandem.kafka.api.MetadataHandler;
import dev.tandem.kafka.api.OffLoop;
import dev.tandem.kafka.api.OffsetCommitHandler;
import dev.tandem.kafka.api.OffsetDeleteHandler;
import dev.tandem.kafka.api.OffsetFetchHandler;
import dev.tandem.kafka.api.OffsetForLeaderEpochHandler;
import dev.tandem.kafka.api.ProduceHandler;
import dev.tandem.kafka.api.SyncGroupHandler;
import dev.tandem.kafka.network.KafkaApi;
import dev.tandem.kafka.network.KafkaApis;
import dev.tandem.kafka.network.KafkaFrameDecoder;
import dev.tandem.kafka.network.KafkaRequestAdapter;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import java.util.ArrayList;
import java.util.List;

/**
 * The Kafka protocol as the server plugs it into a listener: the handlers of every served API and
 * the pipeline of each accepted connection (frame decoder, then request adapter). Thread-safe.
 */
public final class KafkaProtocol {
  /** Kafka's socket.request.max.bytes default. */
  public static final int DEFAULT_MAX_REQUEST_BYTES = 100 * 1024 * 1024;

  private final KafkaApis apis;
  private final int maxRequestBytes;

  public KafkaProtocol(KafkaNode kafka, int maxRequestBytes) {
    this.maxRequestBytes = maxRequestBytes;
    List<KafkaApi> handlers = new ArrayList<>();
    handlers.add(new ApiVersionsHandler(this::apis));
    handlers.add(new MetadataHandler(kafka));
    handlers.add(new ProduceHandler(kafka));
    handlers.add(new FetchHandler(kafka));
    handlers.add(new ListOffsetsHandler(kafka));
    handlers.add(OffLoop.of(new InitProducerIdHandler(kafka)));
    handlers.add(OffLoop.of(new CreateTopicsHandler(kafka)));
    handlers.add(OffLoop.of(new DeleteTopicsHandler(kafka)));
    handlers.add(new DescribeConfigsHandler(kafka));
    handlers.add(OffLoop.of(new AlterConfigsHandler(kafka)));
    handlers.add(OffLoop.of(new IncrementalAlterConfigsHandler(kafka)));
    handlers.add(OffLoop.of(new CreatePartitionsHandler(kafka)));
    handlers.add(new DescribeClusterHandler(kafka));
    handlers.add(OffLoop.of(new DeleteRecordsHandler(kafka)));
    handlers.add(new OffsetForLeaderEpochHandler(kafka));
    handlers.add(new DescribeLogDirsHandler(kafka));
    handlers.add(new FindCoordinatorHandler(kafka));
    handlers.add(new JoinGroupHandler(kafka));
    handlers.add(new SyncGroupHandler(kafka));
    handlers.add(new HeartbeatHandler(kafka));
    handlers.add(new LeaveGroupHandler(kafka));
    handlers.add(new OffsetCommitHandler(kafka));
    handlers.add(new OffsetFetchHandler(kafka));
    handlers.add(new OffsetDeleteHandler(kafka));
    handlers.add(new ListGroupsHandler(kafka));
    handlers.add(new DescribeGroupsHandler(kafka));
    handlers.add(new DeleteGroupsHandler(kafka));
    this.apis = new KafkaApis(handlers);
  }

  public KafkaApis apis() {
    return apis;
  }

  public ChannelInitializer<Channel> channelInitializer() {
    return new ChannelInitializer<>() {
      @Override
      protected void initChannel(Channel channel) {
        channel
            .pipeline()
            .addLast("frames", new KafkaFrameDecoder(maxRequestBytes))
            .addLast("requests", new KafkaRequestAdapter(apis));
      }
    };
  }
}

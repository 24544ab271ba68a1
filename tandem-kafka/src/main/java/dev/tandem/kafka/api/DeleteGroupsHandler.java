package dev.tandem.kafka.api;

import dev.tandem.kafka.network.KafkaApi;
import dev.tandem.kafka.network.KafkaRequest;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.DeleteGroupsRequestData;
import org.apache.kafka.common.message.DeleteGroupsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;

/**
 * DeleteGroups: deletes groups without members, with their committed offsets; a group with members
 * gets NON_EMPTY_GROUP, an unknown one GROUP_ID_NOT_FOUND. Answers once the deletions are on disk.
 */
public final class DeleteGroupsHandler implements KafkaApi {
  private final KafkaNode kafka;

  public DeleteGroupsHandler(KafkaNode kafka) {
    this.kafka = kafka;
  }

  @Override
  public ApiKeys key() {
    return ApiKeys.DELETE_GROUPS;
  }

  @Override
  public CompletableFuture<ApiMessage> handle(KafkaRequest request) {
    DeleteGroupsRequestData data = request.data();
    return kafka
        .node()
        .groups()
        .delete(data.groupsNames())
        .thenApply(
            results -> {
              DeleteGroupsResponseData response = new DeleteGroupsResponseData();
              results.forEach(
                  (groupId, error) ->
                      response
                          .results()
                          .add(
                              new DeleteGroupsResponseData.DeletableGroupResult()
                                  .setGroupId(groupId)
                                  .setErrorCode(KafkaErrors.of(error).code())));
              return response;
            });
  }
}

package dev.tandem.kafka.api;

import dev.tandem.core.group.GroupListing;
import dev.tandem.core.group.GroupState;
import dev.tandem.kafka.network.KafkaApi;
import dev.tandem.kafka.network.KafkaRequest;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.GroupType;
import org.apache.kafka.common.message.ListGroupsRequestData;
import org.apache.kafka.common.message.ListGroupsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;

/**
 * ListGroups: every group, filtered by state (v4+, KIP-518) and type (v5+, KIP-848). Every group
 * here is a classic group. Filters match names ignoring case; a filter naming only unknown values
 * matches nothing.
 */
public final class ListGroupsHandler implements KafkaApi {
  private final KafkaNode kafka;

  public ListGroupsHandler(KafkaNode kafka) {
    this.kafka = kafka;
  }

  @Override
  public ApiKeys key() {
    return ApiKeys.LIST_GROUPS;
  }

  @Override
  public CompletableFuture<ApiMessage> handle(KafkaRequest request) {
    ListGroupsRequestData data = request.data();
    short version = request.version();
    ListGroupsResponseData response = new ListGroupsResponseData();
    Set<GroupState> states = EnumSet.noneOf(GroupState.class);
    for (String name : version >= 4 ? data.statesFilter() : java.util.List.<String>of()) {
      GroupState state = GroupState.parse(name);
      if (state != null) {
        states.add(state);
      }
    }
    boolean unknownStatesOnly = version >= 4 && !data.statesFilter().isEmpty() && states.isEmpty();
    boolean otherTypesOnly =
        version >= 5
            && !data.typesFilter().isEmpty()
            && data.typesFilter().stream()
                .noneMatch(type -> GroupType.CLASSIC.toString().equalsIgnoreCase(type));
    if (unknownStatesOnly || otherTypesOnly) {
      return CompletableFuture.completedFuture(response);
    }
    for (GroupListing group : kafka.node().groups().list(states)) {
      ListGroupsResponseData.ListedGroup listed =
          new ListGroupsResponseData.ListedGroup()
              .setGroupId(group.groupId())
              .setProtocolType(group.protocolType());
      if (version >= 4) {
        listed.setGroupState(group.state().displayName());
      }
      if (version >= 5) {
        listed.setGroupType(GroupType.CLASSIC.toString());
      }
      response.groups().add(listed);
    }
    return CompletableFuture.completedFuture(response);
  }
}

PARTITIONS=12
REPLICATION=3
create_topic soil.reading.raw delete 7
create_topic soil.readings.rejected delete 30
create_topic soil.readings.clean delete 7
create_topic soil.readings.late delete 30
create_topic soil.aggregates delete 7
create_topic soil.progress compact -
create_topic soil.fields compact -

// Tests run one at a time: ActivitySources and Meters are process-wide, so an in-process server's in-memory exporter
// would also record the spans of servers that other tests run at the same moment.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

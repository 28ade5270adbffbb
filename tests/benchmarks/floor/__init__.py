"""The floor of the design card's shape, for `make bench`: the least a system of four processes that talk
over Redis Streams, record every step as an event and read it through projections must spend per step.

What it keeps of the real system: a gateway (the CRUD baseline's routes, keys and checks) that forwards
each command over a faststream consumer group to a write-model process and waits for its reply on a
channel; the write model (the CRUD baseline's status row and audit row, the audit row being the event log)
deciding with the same SOP state machine and publishing each event on a stream after its commit; three
projections (the gateway's read model and two stand-ins for SLA and documents) following that stream in
order, in batches, each writing the events and its position in one transaction. What it leaves out: the
event-sourcing library, the outbox relay, the hash chain, sealing, documents, SLA clocks, metrics. So its
CPU per step is a lower bound for any system built to the card, measured beside the CRUD baseline in the
same run: the CPU goal of the core issue (≤ 2× the baseline) is reachable only if this floor is under it.
"""

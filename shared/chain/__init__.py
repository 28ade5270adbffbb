"""The hash chain over every stored event of a service: links, the recorders that write them in the events'
own transaction, the read-only walk that checks them (`sop verify`) and the heads published for outsiders."""

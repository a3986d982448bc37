"""The kube-scheduler: ``loop`` is the component (watches unbound pods, binds or reports);
the algorithm is ``framework`` (the flow and the tie-break rule), ``filters`` and ``scores``.

Public API::

    s = Scheduler(percentage_of_nodes_to_score=None)
    s.upsert_node(node); s.remove_node(name)
    s.add_pod(pod); s.remove_pod(pod); s.update_pod(old, new)
    result = s.schedule(pod, spread_selectors)   # -> ScheduleResult(node, message, reasons)
    s.explain(pod)                                # -> {node: [reasons]} ([] = fits)
"""

from k8stui.engine.scheduler.framework import Scheduler, ScheduleResult

__all__ = ["ScheduleResult", "Scheduler"]
